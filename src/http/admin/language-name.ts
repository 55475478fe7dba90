const languages = new Intl.DisplayNames(['en'], { type: 'language' });
/** `de` → German; `default` is the version every locale without its own falls back to. */
export function languageName(locale: string): string {
  if (locale === 'default') return 'Default';
  try {
    return languages.of(locale) ?? locale;
  } catch {
    return locale;
  }
}
