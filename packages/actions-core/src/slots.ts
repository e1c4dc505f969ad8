import type { IdentityField } from './action';

/**
 * A request template after analysis: each field as literal text and placeholders, every placeholder
 * with where it sits, so rendering knows how to encode its value and the editor where it is used.
 */

/** Where a placeholder's value goes, which decides how it is encoded. */
export type Placement =
  | { kind: 'path'; segment: number }
  | { kind: 'query' }
  | { kind: 'header'; index: number }
  | { kind: 'json' }
  /** Bare in a JSON body: the value's canonical text is the JSON literal (a number, true or false). */
  | { kind: 'json_literal' }
  | { kind: 'form' };

/** What a `{{name}}` refers to. */
export type PlaceholderRef =
  | { kind: 'parameter'; name: string }
  | { kind: 'identity'; field: IdentityField }
  | { kind: 'unknown' };

export interface PlaceholderSlot {
  kind: 'placeholder';
  /** The trimmed text between the braces. */
  name: string;
  placement: Placement;
  /** Offsets in the field's text (end exclusive). */
  start: number;
  end: number;
}

export type Slot = { kind: 'literal'; text: string } | PlaceholderSlot;

/** The parts of a URL a value may never change. */
export interface UrlShape {
  host: string;
  port: string;
  segments: number;
  queryKeys: string[];
}
