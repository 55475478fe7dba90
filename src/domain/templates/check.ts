/** One finding of the template checks; `error` blocks publishing. `line` is 1-based in the MJML source. */
export type Check = {
  code: string;
  message: string;
  level: 'error' | 'warning';
  line?: number;
  field?: string;
};
