/** The text after a command keyword: `status  Contoso Sales ` → `Contoso Sales`. */
export function argumentsAfter(text: string | undefined, keyword: RegExp): string {
  return (text ?? '').trim().replace(keyword, '').trim();
}
