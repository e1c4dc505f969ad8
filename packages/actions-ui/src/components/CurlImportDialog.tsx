import {
  type ActionAuth,
  type ActionHeader,
  type ActionParameter,
  type CurlImport,
  type HttpMethod,
  parseCurl,
  SNAKE_CASE,
} from '@aihio/actions-core';
import { useId, useState } from 'react';
import { useTranslator } from '../provider';
import { KitDialog } from './dialog';
import { FieldMessages } from './field';

export interface CurlImportResult {
  method: HttpMethod;
  url: string;
  headers: ActionHeader[];
  body: string | null;
  /** The kind of authentication the command used; its secret is never carried over. */
  auth: ActionAuth | null;
  /** Values the owner marked as parameters, already replaced by `{{name}}`. */
  parameters: ActionParameter[];
}

export interface CurlImportDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onImport: (result: CurlImportResult) => void;
}

/** A value of the imported request that could become a parameter. */
interface Candidate {
  where: 'query' | 'body';
  key: string;
  value: string;
  name: string;
  selected: boolean;
}

function toSnakeCase(key: string): string {
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return SNAKE_CASE.test(snake) ? snake : `p_${snake || 'value'}`;
}

function candidatesOf(value: CurlImport): Candidate[] {
  const found: Candidate[] = [];
  try {
    const url = new URL(value.url);
    for (const [key, v] of url.searchParams) {
      if (!v.includes('{{'))
        found.push({ where: 'query', key, value: v, name: toSnakeCase(key), selected: false });
    }
  } catch {
    // An unparsable URL has no query to offer; the editor reports the URL itself.
  }
  if (value.body) {
    try {
      const parsed: unknown = JSON.parse(value.body);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        for (const [key, v] of Object.entries(parsed)) {
          if ((typeof v === 'string' && !v.includes('{{')) || typeof v === 'number') {
            found.push({ where: 'body', key, value: String(v), name: toSnakeCase(key), selected: false });
          }
        }
      }
    } catch {
      // Not JSON: form bodies are left for the owner to edit by hand.
    }
  }
  return found;
}

function apply(value: CurlImport, candidates: Candidate[]): CurlImportResult {
  const chosen = candidates.filter((c) => c.selected && SNAKE_CASE.test(c.name));
  let url = value.url;
  const query = chosen.filter((c) => c.where === 'query');
  if (query.length > 0) {
    const parsed = new URL(value.url);
    // Rebuilt by hand: URLSearchParams would percent-encode the braces of the placeholders.
    const parts = [...parsed.searchParams].map(([k, v]) => {
      const c = query.find((q) => q.key === k && q.value === v);
      return `${encodeURIComponent(k)}=${c ? `{{${c.name}}}` : encodeURIComponent(v)}`;
    });
    url = `${parsed.origin}${parsed.pathname}?${parts.join('&')}`;
  }
  let body = value.body;
  const inBody = chosen.filter((c) => c.where === 'body');
  if (inBody.length > 0 && body) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    for (const c of inBody) parsed[c.key] = `{{${c.name}}}`;
    body = JSON.stringify(parsed, null, 2);
  }
  const seen = new Set<string>();
  const parameters: ActionParameter[] = [];
  for (const c of chosen) {
    if (seen.has(c.name)) continue;
    seen.add(c.name);
    parameters.push({
      name: c.name,
      label: c.key,
      type: /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(c.value)
        ? 'email'
        : /^\+?[0-9 ()-]{7,}$/.test(c.value)
          ? 'phone'
          : 'text',
      hint: `e.g. ${c.value}`.slice(0, 500),
      required: true,
    });
  }
  const auth: ActionAuth | null =
    value.auth.type === 'none'
      ? null
      : value.auth.type === 'bearer'
        ? { type: 'bearer' }
        : { type: 'api_key', headerName: value.auth.headerName };
  return { method: value.method, url, headers: value.headers, body, auth, parameters };
}

/**
 * Paste a curl command to prefill method, URL, headers and body (core's `parseCurl`), then tick
 * the values that should become parameters. A credential in the command is never carried over.
 */
export function CurlImportDialog({ open, onOpenChange, onImport }: CurlImportDialogProps) {
  const t = useTranslator();
  const id = `aihio-${useId().replace(/:/g, '')}-curl`;
  const [command, setCommand] = useState('');
  const [parsed, setParsed] = useState<CurlImport | null>(null);
  const [candidates, setCandidates] = useState<Candidate[]>([]);
  const [errors, setErrors] = useState<string[]>([]);

  const reset = () => {
    setCommand('');
    setParsed(null);
    setCandidates([]);
    setErrors([]);
  };

  const read = () => {
    const result = parseCurl(command);
    if (!result.ok) {
      setErrors(result.errors.map((e) => t.t('curl.invalid', { message: e.message })));
      setParsed(null);
      return;
    }
    setErrors([]);
    setParsed(result.value);
    setCandidates(candidatesOf(result.value));
  };

  return (
    <KitDialog
      open={open}
      onOpenChange={(next) => {
        if (!next) reset();
        onOpenChange(next);
      }}
      title={t.t('curl.title')}
      description={t.t('curl.help')}
    >
      <div className="aihio-dialog-body">
        <div className="aihio-field" data-invalid={errors.length > 0 || undefined}>
          <label className="aihio-label" htmlFor={id}>
            {t.t('curl.label')}
          </label>
          <textarea
            id={id}
            className="aihio-input aihio-mono"
            rows={5}
            spellCheck={false}
            value={command}
            aria-invalid={errors.length > 0 || undefined}
            aria-describedby={errors.length > 0 ? `${id}-error` : undefined}
            onChange={(e) => {
              setCommand(e.currentTarget.value);
              setParsed(null);
            }}
          />
          <FieldMessages id={id} errors={errors} />
        </div>
        {parsed === null ? (
          <div className="aihio-dialog-actions">
            <button
              type="button"
              className="aihio-button"
              data-variant="primary"
              onClick={read}
              disabled={!command.trim()}
            >
              {t.t('curl.import')}
            </button>
          </div>
        ) : (
          <div data-slot="curl-preview">
            <p className="aihio-mono">
              {parsed.method} {parsed.url}
            </p>
            {parsed.auth.type !== 'none' ? (
              <p className="aihio-warning">{t.t('curl.credentialFound')}</p>
            ) : null}
            {parsed.warnings.length > 0 ? (
              <div className="aihio-warning">
                <p>{t.t('curl.warnings')}</p>
                <ul>
                  {parsed.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            {candidates.length > 0 ? (
              <fieldset className="aihio-fieldset">
                <legend className="aihio-label">{t.t('curl.next')}</legend>
                {candidates.map((c, index) => (
                  <div className="aihio-candidate" key={`${c.where}:${c.key}`}>
                    <input
                      type="checkbox"
                      className="aihio-checkbox"
                      id={`${id}-c${index}`}
                      checked={c.selected}
                      onChange={(e) => {
                        const selected = e.currentTarget.checked;
                        setCandidates((list) => list.map((x, i) => (i === index ? { ...x, selected } : x)));
                      }}
                    />
                    <label htmlFor={`${id}-c${index}`} className="aihio-mono">
                      {c.key} = {c.value}
                    </label>
                    <input
                      className="aihio-input aihio-mono"
                      aria-label={`${t.t('parameters.name')}: ${c.key}`}
                      value={c.name}
                      disabled={!c.selected}
                      onChange={(e) => {
                        const name = e.currentTarget.value;
                        setCandidates((list) => list.map((x, i) => (i === index ? { ...x, name } : x)));
                      }}
                    />
                  </div>
                ))}
              </fieldset>
            ) : (
              <p className="aihio-help">{t.t('curl.next')}</p>
            )}
            <div className="aihio-dialog-actions">
              <button
                type="button"
                className="aihio-button"
                data-variant="primary"
                onClick={() => {
                  onImport(apply(parsed, candidates));
                  reset();
                  onOpenChange(false);
                }}
              >
                {t.t('curl.import')}
              </button>
            </div>
          </div>
        )}
      </div>
    </KitDialog>
  );
}
