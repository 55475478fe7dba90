/** One MJML compile (src/mail/mjml-compile.mjs): the HTML, the real errors and, when `text` and no error, the text part. */
export default function compile(task: { mjml: string; options: Record<string, unknown>; text: boolean }): Promise<{
  html: string;
  errors: { line: number; message: string; tagName?: string }[];
  text: string;
}>;
