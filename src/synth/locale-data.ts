/** Small hand lists the fake-data library does not cover well (products, sectors, Malaysia, India). */
import type { Language } from './labels-text.js';

export const SECTORS: Record<Language, string[]> = {
  en: ['Consulting', 'Logistics', 'Systems', 'Solutions', 'Engineering', 'Supplies', 'Trading', 'Print', 'Digital', 'Foods', 'Electrical', 'Building Services', 'Design', 'Software', 'Industries', 'Packaging'],
  de: ['Handel', 'Logistik', 'Bau', 'Technik', 'Software', 'Druck', 'Elektro', 'Consulting', 'Maschinenbau', 'Medien', 'Metallbau', 'Gebäudeservice', 'Systemhaus', 'Werkzeuge'],
  fr: ['Conseil', 'Logistique', 'Bâtiment', 'Informatique', 'Services', 'Distribution', 'Imprimerie', 'Électricité', 'Ingénierie', 'Emballages'],
  es: ['Consultoría', 'Logística', 'Construcciones', 'Informática', 'Servicios', 'Distribuciones', 'Suministros', 'Ingeniería', 'Embalajes'],
  it: ['Consulenze', 'Logistica', 'Costruzioni', 'Informatica', 'Servizi', 'Distribuzione', 'Forniture', 'Impianti', 'Imballaggi'],
  nl: ['Advies', 'Logistiek', 'Bouw', 'ICT', 'Diensten', 'Groothandel', 'Installatietechniek', 'Drukwerk', 'Verpakkingen'],
};

export const PRODUCTS: Record<Language, string[]> = {
  en: ['Consulting services', 'Software licence (annual)', 'Website maintenance', 'Office chair ergonomic', 'A4 copy paper 80gsm, box of 5 reams',
    'Toner cartridge black', 'Installation and setup', 'Support hours', 'Steel bracket 40mm', 'Cable CAT6 5m', 'Laptop stand aluminium',
    'Project management', 'Design work', 'Cleaning service', 'Catering for 20 people', 'Hosting (monthly)', 'LED panel 60x60',
    'Training workshop (1 day)', 'Translation services', 'Spare parts kit', 'Pallet of bottled water', 'Safety gloves (pair)', 'Courier service'],
  de: ['Beratungsleistung', 'Softwarelizenz (jährlich)', 'Wartungsvertrag', 'Bürostuhl ergonomisch', 'Kopierpapier A4 80g, 5 Pakete',
    'Tonerkartusche schwarz', 'Montage und Inbetriebnahme', 'Arbeitsstunden Techniker', 'Winkel verzinkt 40 mm', 'Netzwerkkabel Cat6 5 m',
    'Projektleitung', 'Grafikdesign', 'Unterhaltsreinigung', 'Bewirtung 20 Personen', 'Webhosting monatlich', 'LED-Panel 60x60',
    'Schulung (1 Tag)', 'Übersetzung Deutsch-Englisch', 'Ersatzteilset', 'Schrauben M8 x 40 (100 Stk.)', 'Anfahrtspauschale', 'Entsorgung Altgeräte'],
  fr: ['Prestation de conseil', 'Licence logicielle annuelle', 'Maintenance site web', 'Fauteuil de bureau', 'Ramette papier A4 80 g',
    'Cartouche de toner noir', 'Installation et mise en service', "Heures d'intervention", 'Équerre acier 40 mm', 'Câble réseau Cat6 5 m',
    'Gestion de projet', 'Création graphique', 'Nettoyage des locaux', 'Traiteur 20 personnes', 'Hébergement mensuel', 'Formation (1 jour)',
    'Traduction français-anglais', 'Kit pièces détachées', 'Déplacement forfaitaire', 'Gants de sécurité (paire)'],
  es: ['Servicios de consultoría', 'Licencia de software anual', 'Mantenimiento web', 'Silla de oficina ergonómica', 'Papel A4 80 g, caja 5 paquetes',
    'Cartucho de tóner negro', 'Instalación y puesta en marcha', 'Horas de técnico', 'Escuadra de acero 40 mm', 'Cable de red Cat6 5 m',
    'Gestión de proyecto', 'Diseño gráfico', 'Servicio de limpieza', 'Catering 20 personas', 'Alojamiento web mensual', 'Formación (1 día)',
    'Traducción español-inglés', 'Kit de recambios', 'Desplazamiento', 'Guantes de seguridad (par)'],
  it: ['Consulenza professionale', 'Licenza software annuale', 'Manutenzione sito web', 'Sedia da ufficio ergonomica', 'Carta A4 80 g, 5 risme',
    'Toner nero', 'Installazione e collaudo', 'Ore di manodopera', 'Staffa in acciaio 40 mm', 'Cavo di rete Cat6 5 m',
    'Gestione progetto', 'Progettazione grafica', 'Servizio di pulizia', 'Catering 20 persone', 'Hosting mensile', 'Corso di formazione (1 giorno)',
    'Traduzione italiano-inglese', 'Kit ricambi', 'Diritto di chiamata', 'Guanti da lavoro (paio)'],
  nl: ['Advieswerkzaamheden', 'Softwarelicentie (jaarlijks)', 'Onderhoud website', 'Bureaustoel ergonomisch', 'Kopieerpapier A4 80 g, 5 pakken',
    'Tonercartridge zwart', 'Installatie en configuratie', 'Arbeidsuren monteur', 'Stalen hoekbeugel 40 mm', 'Netwerkkabel Cat6 5 m',
    'Projectbegeleiding', 'Grafisch ontwerp', 'Schoonmaakwerkzaamheden', 'Catering 20 personen', 'Hosting per maand', 'Training (1 dag)',
    'Vertaling Nederlands-Engels', 'Onderdelenset', 'Voorrijkosten', 'Werkhandschoenen (paar)'],
};

/** Till-receipt articles: short, often upper case. */
export const RECEIPT_ITEMS: Record<Language, string[]> = {
  en: ['MILK 2L', 'BREAD WHOLEMEAL', 'BANANAS', 'COFFEE BEANS 1KG', 'EGGS FREE RANGE 12', 'CHEDDAR 400G', 'APPLES', 'ORANGE JUICE', 'BIN BAGS', 'BATTERIES AA 4PK', 'PASTA 500G', 'TEA BAGS 80', 'CHICKEN BREAST', 'RICE 5KG', 'SHAMPOO', 'NOTEBOOK A5'],
  de: ['VOLLMILCH 1L', 'VOLLKORNBROT', 'BANANEN', 'KAFFEE BOHNEN 1KG', 'EIER FREILAND 10', 'GOUDA 400G', 'ÄPFEL', 'ORANGENSAFT', 'MÜLLBEUTEL', 'BATTERIEN AA', 'NUDELN 500G', 'BUTTER 250G', 'PFAND', 'BRÖTCHEN', 'SHAMPOO', 'KUGELSCHREIBER'],
  fr: ['LAIT DEMI-ÉCRÉMÉ', 'BAGUETTE', 'BANANES', 'CAFÉ EN GRAINS 1KG', 'OEUFS PLEIN AIR x12', 'COMTÉ 250G', 'POMMES', "JUS D'ORANGE", 'SACS POUBELLE', 'PILES AA', 'PÂTES 500G', 'BEURRE DOUX', 'CROISSANT', 'YAOURTS x4'],
  es: ['LECHE ENTERA 1L', 'PAN DE MOLDE', 'PLÁTANOS', 'CAFÉ EN GRANO 1KG', 'HUEVOS L x12', 'QUESO MANCHEGO', 'MANZANAS', 'ZUMO NARANJA', 'BOLSAS BASURA', 'PILAS AA', 'MACARRONES 500G', 'ACEITE OLIVA 1L', 'AGUA 1,5L'],
  it: ['LATTE INTERO 1L', 'PANE INTEGRALE', 'BANANE', 'CAFFÈ IN GRANI 1KG', 'UOVA FRESCHE x6', 'PARMIGIANO 300G', 'MELE', "SUCCO D'ARANCIA", 'SACCHI RIFIUTI', 'PILE AA', 'SPAGHETTI 500G', 'OLIO EVO 1L', 'ACQUA NAT. 1,5L'],
  nl: ['HALFVOLLE MELK 1L', 'VOLKORENBROOD', 'BANANEN', 'KOFFIEBONEN 1KG', 'EIEREN 10 ST', 'GOUDSE KAAS 400G', 'APPELS', 'SINAASAPPELSAP', 'AFVALZAKKEN', 'BATTERIJEN AA', 'PASTA 500G', 'STROOPWAFELS', 'HAGELSLAG'],
};

export const MY_PLACES: { city: string; postcode: string; state: string }[] = [
  { city: 'Kuala Lumpur', postcode: '50450', state: 'Wilayah Persekutuan' }, { city: 'Petaling Jaya', postcode: '47301', state: 'Selangor' },
  { city: 'Shah Alam', postcode: '40000', state: 'Selangor' }, { city: 'Johor Bahru', postcode: '80000', state: 'Johor' },
  { city: 'George Town', postcode: '10200', state: 'Pulau Pinang' }, { city: 'Ipoh', postcode: '30000', state: 'Perak' },
  { city: 'Kota Kinabalu', postcode: '88000', state: 'Sabah' }, { city: 'Kuching', postcode: '93000', state: 'Sarawak' },
  { city: 'Melaka', postcode: '75000', state: 'Melaka' }, { city: 'Seremban', postcode: '70000', state: 'Negeri Sembilan' },
  { city: 'Subang Jaya', postcode: '47500', state: 'Selangor' }, { city: 'Klang', postcode: '41000', state: 'Selangor' },
];
export const MY_STREETS = ['Jalan Ampang', 'Jalan Tun Razak', 'Jalan SS 2/24', 'Jalan Bukit Bintang', 'Lorong Maarof', 'Persiaran Gurney',
  'Jalan Sultan Ismail', 'Jalan PJU 1/3', 'Jalan Tebrau', 'Jalan Gasing', 'Lebuh Pantai', 'Jalan Raja Chulan', 'Jalan Kenari 5'];
export const MY_PERSONS = ['Ahmad bin Ismail', 'Nurul Aisyah binti Hassan', 'Tan Wei Ming', 'Lim Mei Ling', 'Rajesh a/l Subramaniam',
  'Siti Nurhaliza binti Omar', 'Wong Kah Seng', 'Lee Chong Wei', 'Priya a/p Krishnan', 'Mohd Faizal bin Abdullah', 'Chan Siew Lan', 'Ong Boon Hock'];
export const MY_COMPANY_WORDS = ['Maju', 'Jaya', 'Sinar', 'Cahaya', 'Harmoni', 'Gemilang', 'Bintang', 'Mega', 'Setia', 'Tiger', 'Golden Lotus', 'Everbright', 'Seri', 'Perdana'];
export const MY_SECTORS = ['Trading', 'Enterprise', 'Engineering', 'Hardware', 'Logistics', 'Technology', 'Food Industries', 'Services', 'Resources'];

export const IN_PLACES: { city: string; state: string; pin: string; gstState: string }[] = [
  { city: 'Mumbai', state: 'Maharashtra', pin: '400001', gstState: '27' }, { city: 'Pune', state: 'Maharashtra', pin: '411001', gstState: '27' },
  { city: 'Bengaluru', state: 'Karnataka', pin: '560001', gstState: '29' }, { city: 'Chennai', state: 'Tamil Nadu', pin: '600002', gstState: '33' },
  { city: 'New Delhi', state: 'Delhi', pin: '110001', gstState: '07' }, { city: 'Hyderabad', state: 'Telangana', pin: '500001', gstState: '36' },
  { city: 'Kolkata', state: 'West Bengal', pin: '700001', gstState: '19' }, { city: 'Ahmedabad', state: 'Gujarat', pin: '380001', gstState: '24' },
  { city: 'Jaipur', state: 'Rajasthan', pin: '302001', gstState: '08' }, { city: 'Kochi', state: 'Kerala', pin: '682001', gstState: '32' },
  { city: 'Lucknow', state: 'Uttar Pradesh', pin: '226001', gstState: '09' }, { city: 'Noida', state: 'Uttar Pradesh', pin: '201301', gstState: '09' },
];
export const IN_AREAS = ['MG Road', 'Nehru Nagar', 'Andheri East', 'Koramangala 4th Block', 'Anna Salai', 'Connaught Place', 'Banjara Hills',
  'Salt Lake Sector V', 'Navrangpura', 'C-Scheme', 'Marine Drive', 'Hazratganj', 'Sector 62', 'Whitefield Main Road', 'Bandra Kurla Complex'];
export const IN_SECTORS = ['Technologies', 'Enterprises', 'Traders', 'Industries', 'Infotech', 'Solutions', 'Exports', 'Engineering Works', 'Logistics'];
