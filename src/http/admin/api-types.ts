/** Shapes of the admin API's answers that more than one console page reads. */
export type TemplateDoc = {
  key: string;
  locale: string;
  subject: string;
  mjml: string;
  version: number;
  status: string;
  /** The live version (null: never published). */
  publishedVersion?: number | null;
  variables?: Record<string, { description?: string; example?: unknown }>;
  /** Key `pages` only: the hosted pages' message catalogue of this locale. */
  messages?: Record<string, string> | null;
};

export type Check = { level: 'error' | 'warning'; code: string; message: string; line?: number | null };
