import { PDFDocument, StandardFonts } from 'pdf-lib';

/** Lines of text placed on an A4 page: [x, y-from-top, text]. Helvetica, WinAnsi text only. */
export async function makePdf(pages: Array<Array<[number, number, string]>>): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    for (const [x, y, text] of lines) page.drawText(text, { x, y: 842 - y, size: 10, font });
  }
  return doc.save();
}

/** A German invoice with known fields, laid out like a DIN 5008 letter. */
export const GERMAN_INVOICE: Array<[number, number, string]> = [
  [50, 60, 'Musterbau GmbH'], [50, 74, 'Industriestrasse 5'], [50, 88, '80333 Muenchen'],
  [350, 60, 'RECHNUNG'], [350, 80, 'Rechnungsnummer: RE-2024-0815'], [350, 94, 'Rechnungsdatum: 05.03.2024'],
  [50, 140, 'Rechnungsempfaenger:'], [50, 154, 'Kunden AG'], [50, 168, 'Kundenweg 1'], [50, 182, '60311 Frankfurt'],
  [50, 240, 'Pos'], [80, 240, 'Bezeichnung'], [300, 240, 'Menge'], [360, 240, 'Preis'], [460, 240, 'Betrag'],
  [50, 256, '1'], [80, 256, 'Trennblaetter A4'], [300, 256, '20'], [360, 256, '9,90'], [460, 256, '198,00'],
  [50, 270, '2'], [80, 270, 'Ordner breit'], [300, 270, '4'], [360, 270, '12,50'], [460, 270, '50,00'],
  [300, 310, 'Summe netto'], [460, 310, '248,00 EUR'],
  [300, 324, 'zzgl. 19% USt.'], [460, 324, '47,12 EUR'],
  [300, 338, 'Rechnungsbetrag'], [460, 338, '295,12 EUR'],
  [50, 380, 'Zahlbar innerhalb 14 Tagen ohne Abzug.'],
  [50, 780, 'Musterbau GmbH - USt-IdNr.: DE136695976 - IBAN DE08 7009 0100 1234 5678 90'],
];
