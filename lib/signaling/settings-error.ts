/**
 * A function's environment is wrong (set by the stack, so this means a broken deployment). Its message names the
 * variables and what is wrong with them, never request data or secrets (the environment holds ARNs and names, not
 * secret values), so the routes may log it: an operator must see which variable to fix. Its own module, so the
 * logger can recognise it by class without bundling the settings readers into every function.
 */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}
