// The English and Japanese catalogues must offer the same keys with the same interpolation placeholders,
// so switching language never shows a raw key or drops a value. Plural forms are compared by their base
// key (Japanese has only the "_other" form).
import { describe, expect, it } from 'vitest';
import en from '../../src/ui/i18n/locales/en.json';
import ja from '../../src/ui/i18n/locales/ja.json';
import { compareCatalogues, placeholders } from '../../src/ui/i18n/parity';

describe('catalogue parity', () => {
  it('English and Japanese have the same keys and placeholders', () => {
    expect(compareCatalogues({ en, ja })).toEqual([]);
  });

  it('the check fails when a key is missing in one language', () => {
    const broken = { ...ja } as Record<string, string>;
    delete broken['toolbar.open'];
    expect(compareCatalogues({ en, ja: broken })).toEqual(['ja lacks "toolbar.open"']);
    expect(compareCatalogues({ en: { ...en, 'only.here': 'x' }, ja })).toEqual(['ja lacks "only.here"']);
  });

  it('the check fails when placeholders differ', () => {
    expect(compareCatalogues({ en: { a: 'Open {{name}}' }, ja: { a: '{{file}} を開く' } })).toEqual([
      '"a": placeholders differ (en: name; ja: file)',
    ]);
    expect(placeholders('{{ a }} and {{b, number}} and $t(x)')).toEqual(['a', 'b']);
  });

  it('plural forms count as one key', () => {
    expect(compareCatalogues({ en: { 'n_one': '{{count}} byte', 'n_other': '{{count}} bytes' }, ja: { 'n_other': '{{count}} バイト' } })).toEqual([]);
  });

  it('no value is empty, and Japanese values are not left in English', () => {
    for (const [k, v] of Object.entries(ja as Record<string, string>)) {
      expect(v.trim(), k).not.toBe('');
      // ASCII-only Japanese strings are fine only for symbols and field names such as "No."
      if (/^[\x20-\x7e]+$/.test(v)) expect(v.length, `${k} looks untranslated: ${v}`).toBeLessThan(8);
    }
  });
});
