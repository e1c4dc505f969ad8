/** Joins class names, skipping empty ones (the kit's tiny `clsx`). */
export function cx(...names: Array<string | false | null | undefined>): string {
  return names.filter(Boolean).join(' ');
}
