import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { phrasesOf } from '../src/lexicon/index.js';
import { generateInvoice } from '../src/synth/generate.js';
import { LABEL_VARIANTS } from '../src/synth/label-variants.js';
import { KEY_CONCEPTS, VARIANT_SHARE, VOCAB_KEYS, lexiconLanguages, lexiconMatches, poolFor, printCase, type LabelUse } from '../src/synth/label-vocab.js';
import { LOCALES, LOCALE_IDS } from '../src/synth/locales.js';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s*:$/, '');
const listedIn = (u: Pick<LabelUse, 'concept'>, lang: string) =>
  new Set(lexiconLanguages(LOCALES[lang as keyof typeof LOCALES]).flatMap((l) => phrasesOf(u.concept, l)).map(fold));

describe('synth: label vocabulary from the lexicon plus held-out variants', () => {
  it('has a label for every key in every locale, and no variant the lexicon lists', () => {
    for (const id of LOCALE_IDS) {
      const spec = LOCALES[id];
      for (const key of VOCAB_KEYS) {
        const { lexicon, variants } = poolFor(key, spec);
        assert.ok(lexicon.length + variants.length > 0, `${id} ${key}: no label at all`);
        const listed = listedIn(KEY_CONCEPTS[key], id);
        for (const p of lexicon) assert.ok(listed.has(fold(p)), `${id} ${key}: "${p}" is not a lexicon phrase`);
        for (const v of variants) assert.ok(!listed.has(fold(v)), `${id} ${key}: variant "${v}" is listed in the lexicon`);
        for (const v of variants) assert.ok((LABEL_VARIANTS[spec.language][key] ?? []).includes(v));
      }
    }
  });

  it('keeps labels apt to their key (no credit-note number on an invoice, no register as VAT id)', () => {
    const de = poolFor('invoiceNo', LOCALES['de-DE']).lexicon;
    assert.ok(de.includes('rechnungsnummer') && !de.some((p) => /gutschrift|bon/.test(p)));
    const vat = poolFor('vatId', LOCALES['de-DE']).lexicon;
    assert.ok(vat.includes('ust-idnr.') && !vat.some((p) => /handelsregister|steuernummer|hrb/.test(p)));
    assert.ok(!poolFor('tax', LOCALES['en-GB']).lexicon.some((p) => /gst/.test(p)));
    assert.ok(!poolFor('total', LOCALES['en-US']).lexicon.some((p) => /\bvat\b/.test(p)), 'a US invoice has no VAT');
    assert.equal(printCase('invoice no.', 'title'), 'Invoice No.');
    assert.equal(printCase('total incl. vat', 'sentence'), 'Total incl. VAT');
    assert.equal(printCase('ust-idnr.', 'sentence'), 'UST-idnr.');
  });

  it('records every label a document prints, drawn from the lexicon or the variants at about VARIANT_SHARE', async () => {
    const uses: (LabelUse & { lang: string })[] = [];
    for (let seed = 2000; seed < 2080; seed++) {
      const g = await generateInvoice(seed);
      const drawn = g.drawn.map((d) => d.text.toLowerCase()).join('\n');
      for (const u of g.labels ?? []) {
        uses.push({ ...u, lang: g.lang });
        assert.ok(drawn.includes(u.text.toLowerCase()), `seed ${seed} ${g.layout}: label "${u.text}" (${u.key}) recorded but not printed`);
        assert.ok(!drawn.includes(`${u.text.toLowerCase()}::`), `seed ${seed}: doubled colon after "${u.text}"`);
      }
      assert.ok((g.labels ?? []).length >= 5, `seed ${seed}: only ${(g.labels ?? []).length} labels recorded`);
      if (g.layout !== 'title-number') assert.ok((g.labels ?? []).some((u) => u.field === 'invoiceNumber'), `seed ${seed}: no invoice-number label recorded`);
    }
    for (const u of uses) {
      const listed = listedIn(u, u.lang);
      const spec = LOCALES[u.lang as keyof typeof LOCALES];
      if (u.source === 'lexicon') {
        assert.ok(listed.has(fold(u.text)), `${u.lang} ${u.key}: "${u.text}" claimed lexicon`);
        assert.ok(u.lexiconMatch, `${u.lang} ${u.key}: the lexicon does not match its own phrase "${u.text}"`);
      } else if (u.source === 'variant') {
        assert.ok(!listed.has(fold(u.text)) && (LABEL_VARIANTS[spec.language][u.key] ?? []).includes(u.text), `${u.lang} ${u.key}: "${u.text}" claimed variant`);
      } else {
        assert.ok(u.key === 'vatId' && spec.vatLabels?.includes(u.text), `${u.lang} ${u.key}: "${u.text}" from a hand list`);
      }
      assert.equal(u.lexiconMatch, lexiconMatches(u.text, u.concept));
    }
    const drawable = uses.filter((u) => u.source !== 'fixed');
    const share = drawable.filter((u) => u.source === 'variant').length / drawable.length;
    assert.ok(share > VARIANT_SHARE - 0.1 && share < VARIANT_SHARE + 0.15, `variant share ${share.toFixed(3)}`);
    const unseen = uses.filter((u) => !u.lexiconMatch);
    assert.ok(unseen.length / uses.length > 0.15, `labels the lexicon does not match: ${unseen.length}/${uses.length}`);
    for (const field of ['invoiceNumber', 'invoiceDate', 'total']) {
      assert.ok(unseen.some((u) => u.field === field), `no lexicon-unseen label for ${field}`);
    }
  });
});
