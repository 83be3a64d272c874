// The page's languages (English, Japanese) with i18next: catalogues in ./locales, the language chosen from
// the browser's, switchable and remembered. Keys are flat ("toolbar.open", "explain.tcp.flags.syn"), so
// field abbrevs can be keys as they are; field names and filter syntax stay as Wireshark writes them.
import i18next, { type TFunction } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import en from './locales/en.json';
import ja from './locales/ja.json';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'ja', label: '日本語' },
] as const;
export type Lang = (typeof LANGUAGES)[number]['code'];

const LS_LANG = 'wirelens.lang';

function isLang(v: unknown): v is Lang {
  return LANGUAGES.some((l) => l.code === v);
}

/** The remembered choice, else the first browser language we have, else English. */
export function detectLanguage(): Lang {
  try {
    const saved = localStorage.getItem(LS_LANG);
    if (isLang(saved)) return saved;
  } catch {
    /* storage may be unavailable */
  }
  const prefs = typeof navigator !== 'undefined' ? [...(navigator.languages ?? []), navigator.language] : [];
  for (const p of prefs) {
    const base = String(p ?? '').toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ja: { translation: ja } },
  lng: detectLanguage(),
  fallbackLng: 'en',
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

function applyDocumentLang(lang: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
applyDocumentLang(i18n.language);
i18n.on('languageChanged', applyDocumentLang);

export function currentLanguage(): Lang {
  return isLang(i18n.language) ? i18n.language : 'en';
}

/** Switch the language and remember it. */
export function setLanguage(lang: Lang): void {
  try {
    localStorage.setItem(LS_LANG, lang);
  } catch {
    /* ignore */
  }
  void i18n.changeLanguage(lang);
}

/** `t` outside React (menus built on open, messages built in the store). */
export const t: TFunction = ((...args: unknown[]) => (i18n.t as unknown as (...a: unknown[]) => string)(...args)) as unknown as TFunction;

/** `t` in components: re-renders on a language change. */
export function useT(): TFunction {
  return useTranslation(undefined, { i18n }).t;
}

export type { TFunction };
