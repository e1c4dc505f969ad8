export type TemplatePiece =
  | { kind: 'literal'; text: string; start: number; end: number }
  /** `name` is the trimmed inner text: `order_number` or `identity.email`. `end` is exclusive. */
  | { kind: 'placeholder'; name: string; start: number; end: number };

export interface TemplateSyntaxError {
  message: string;
  start: number;
  end: number;
}

/** Pieces are returned in both cases so the editor can highlight what it can. */
export type ParsedTemplate =
  | { ok: true; pieces: TemplatePiece[] }
  | { ok: false; pieces: TemplatePiece[]; errors: TemplateSyntaxError[] };

export function parseTemplate(_text: string): ParsedTemplate {
  throw new Error('parseTemplate: not implemented yet');
}
