import { parseTemplate } from '@aihio/actions-core';
import {
  type ChangeEvent,
  type KeyboardEvent,
  type Ref,
  type UIEvent,
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useTranslator } from '../provider';

export interface TemplateSuggestion {
  /** Text between the braces: `order_number` or `identity.email`. */
  name: string;
  kind: 'parameter' | 'identity';
  /** A parameter's label, shown beside the name. */
  detail?: string;
}

export interface TemplateInputProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  /** Names that `{{…}}` may complete to. */
  suggestions: readonly TemplateSuggestion[];
  multiline?: boolean;
  rows?: number;
  placeholder?: string;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement | HTMLTextAreaElement>;
  'aria-describedby'?: string | undefined;
  'aria-invalid'?: boolean | undefined;
  'aria-labelledby'?: string | undefined;
  'data-field'?: string;
  className?: string;
}

interface OpenQuery {
  /** Offset of the `{{` being completed. */
  start: number;
  /** What is typed after `{{` so far. */
  prefix: string;
}

/** The unfinished `{{prefix` that ends at the caret, if any. */
function queryAt(text: string, caret: number): OpenQuery | null {
  const open = text.lastIndexOf('{{', Math.max(caret - 2, 0));
  if (open === -1 || open + 2 > caret) return null;
  const typed = text.slice(open + 2, caret);
  if (!/^\s*[A-Za-z0-9_.]*$/.test(typed)) return null;
  return { start: open, prefix: typed.trim() };
}

/**
 * A text input for templates: `{{placeholders}}` are highlighted as the owner types (known names
 * and unknown ones differently), and typing `{{` offers the defined parameters and identity
 * fields as an ARIA listbox (arrows to move, Enter or Tab to insert, Escape to close).
 * Highlighting is a backdrop behind transparent-background text, so the native input keeps
 * selection, undo and IME behaviour.
 */
export function TemplateInput({
  id,
  value,
  onChange,
  onBlur,
  suggestions,
  multiline = false,
  rows = 6,
  placeholder,
  disabled,
  inputRef,
  className,
  ...aria
}: TemplateInputProps) {
  const t = useTranslator();
  const elementRef = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  const backdropRef = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState<OpenQuery | null>(null);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const pendingCaret = useRef<number | null>(null);
  const listId = `${id}-suggestions`;

  const known = useMemo(() => new Set(suggestions.map((s) => s.name)), [suggestions]);
  const pieces = useMemo(() => parseTemplate(value).pieces, [value]);

  const matches = useMemo(() => {
    if (!query) return [];
    const q = query.prefix.toLowerCase();
    const starts = suggestions.filter((s) => s.name.toLowerCase().startsWith(q));
    const contains = suggestions.filter(
      (s) => !s.name.toLowerCase().startsWith(q) && s.name.toLowerCase().includes(q),
    );
    return [...starts, ...contains];
  }, [query, suggestions]);
  const open = query !== null && matches.length > 0 && dismissedAt !== query.start;

  const refresh = useCallback(
    (element: HTMLInputElement | HTMLTextAreaElement) => {
      const caret = element.selectionStart ?? element.value.length;
      const next = element.selectionEnd === caret ? queryAt(element.value, caret) : null;
      setQuery((previous) =>
        previous?.start === next?.start && previous?.prefix === next?.prefix ? previous : next,
      );
      if (next === null || next.start !== query?.start || next.prefix !== query?.prefix) setActive(0);
    },
    [query],
  );

  useLayoutEffect(() => {
    const element = elementRef.current;
    if (pendingCaret.current !== null && element) {
      element.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  });

  const accept = (name: string) => {
    const element = elementRef.current;
    if (!element || !query) return;
    const caret = element.selectionStart ?? value.length;
    const after = value.slice(caret).startsWith('}}') ? value.slice(caret + 2) : value.slice(caret);
    const inserted = `{{${name}}}`;
    const next = value.slice(0, query.start) + inserted + after;
    pendingCaret.current = query.start + inserted.length;
    setQuery(null);
    onChange(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (!open) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((i) => (i + 1) % matches.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => (i - 1 + matches.length) % matches.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      const match = matches[active];
      if (match) {
        event.preventDefault();
        accept(match.name);
      }
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (query) setDismissedAt(query.start);
    }
  };

  const handleChange = (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    onChange(event.currentTarget.value);
    refresh(event.currentTarget);
  };

  const syncScroll = (event: UIEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (backdropRef.current) {
      backdropRef.current.scrollTop = event.currentTarget.scrollTop;
      backdropRef.current.scrollLeft = event.currentTarget.scrollLeft;
    }
  };

  const setRefs = (element: HTMLInputElement | HTMLTextAreaElement | null) => {
    elementRef.current = element;
    if (typeof inputRef === 'function') inputRef(element);
    else if (inputRef)
      (inputRef as { current: HTMLInputElement | HTMLTextAreaElement | null }).current = element;
  };

  const activeId = open ? `${listId}-${active}` : undefined;
  const common = {
    id,
    value,
    disabled,
    placeholder,
    spellCheck: false,
    autoComplete: 'off',
    className: 'aihio-input aihio-mono aihio-template-control',
    onChange: handleChange,
    onKeyDown,
    onKeyUp: (e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End')
        refresh(e.currentTarget);
    },
    onClick: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => refresh(e.currentTarget),
    onBlur: () => {
      setQuery(null);
      onBlur?.();
    },
    onScroll: syncScroll,
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': activeId,
    ...aria,
  };

  return (
    <div
      className={className ? `aihio-template ${className}` : 'aihio-template'}
      data-slot="template-input"
      data-multiline={multiline || undefined}
      data-state={open ? 'open' : 'closed'}
    >
      <div className="aihio-template-backdrop aihio-mono" ref={backdropRef} aria-hidden="true">
        {pieces.map((piece) =>
          piece.kind === 'literal' ? (
            <span key={piece.start}>{piece.text}</span>
          ) : (
            <mark
              key={piece.start}
              className="aihio-placeholder"
              data-known={known.has(piece.name) ? 'true' : 'false'}
              data-kind={piece.name.startsWith('identity.') ? 'identity' : 'parameter'}
            >
              {value.slice(piece.start, piece.end)}
            </mark>
          ),
        )}
        {/* A trailing newline needs a character after it to take up a line. */}
        {multiline && value.endsWith('\n') ? ' ' : null}
      </div>
      {multiline ? (
        <textarea {...common} ref={setRefs} rows={rows} />
      ) : (
        <input {...common} ref={setRefs} type="text" role="combobox" aria-expanded={open} />
      )}
      {open ? (
        <div className="aihio-suggestions" data-slot="suggestions">
          <div id={listId} role="listbox" tabIndex={-1} aria-label={t.t('template.suggestions')}>
            {matches.map((s, index) => (
              <div
                key={s.name}
                id={`${listId}-${index}`}
                role="option"
                tabIndex={-1}
                aria-selected={index === active}
                data-state={index === active ? 'active' : 'inactive'}
                onMouseDown={(e) => {
                  // Keep focus in the input; accepting moves the caret there.
                  e.preventDefault();
                  accept(s.name);
                }}
                onMouseEnter={() => setActive(index)}
              >
                <span className="aihio-mono">{`{{${s.name}}}`}</span>
                <span className="aihio-muted">
                  {s.detail ? `${s.detail} · ` : ''}
                  {t.t(
                    s.kind === 'identity' ? 'template.suggestion.identity' : 'template.suggestion.parameter',
                  )}
                </span>
              </div>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  );
}
