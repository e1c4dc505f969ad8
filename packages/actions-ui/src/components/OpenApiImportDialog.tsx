import { type ImportedOperation, importOpenApi, type StoredAction } from '@aihio/actions-core';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ActionsApiError } from '../client';
import { actionKeys } from '../hooks';
import { useActionsClient, useTranslator } from '../provider';
import { KitDialog } from './dialog';

export interface OpenApiImportDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  chatbotId: string;
  /** Prefills the URL box (e.g. the demo's sandbox document). */
  defaultUrl?: string;
  /** Called with the actions created, after "Create"; open each in the editor to add credentials and test. */
  onCreated?: (actions: StoredAction[]) => void;
}

type Row = ImportedOperation & { key: string };
type Outcome = { kind: 'created'; action: StoredAction } | { kind: 'failed'; message: string };

/**
 * Import actions from an OpenAPI document: paste it, upload it, or give its URL (the BFF fetches it
 * through its guarded egress); `importOpenApi` lists every operation with its warnings or the reason
 * it was skipped; the chosen ones are created in one go (each is an ordinary create, so the quota
 * and every rule apply), disabled, to be opened in the editor for credentials and a test.
 */
export function OpenApiImportDialog({
  open,
  onOpenChange,
  chatbotId,
  defaultUrl,
  onCreated,
}: OpenApiImportDialogProps) {
  const t = useTranslator();
  const client = useActionsClient('OpenApiImportDialog');
  const queryClient = useQueryClient();
  const id = useId().replace(/:/g, '');
  const [text, setText] = useState('');
  const [url, setUrl] = useState(defaultUrl ?? '');
  const [busy, setBusy] = useState<null | 'fetch' | 'read' | 'create'>(null);
  const [error, setError] = useState<string | null>(null);
  const [title, setTitle] = useState<string | null>(null);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [outcomes, setOutcomes] = useState<Map<string, Outcome>>(new Map());

  const read = async (source: string) => {
    setBusy('read');
    setError(null);
    const result = await importOpenApi(source);
    setBusy(null);
    if (!result.ok) {
      setRows(null);
      setError(result.errors.map((e) => e.message).join(' '));
      return;
    }
    const list = result.operations.map((o, i) => ({ ...o, key: `${i}` }));
    setTitle(result.title);
    setRows(list);
    setWarnings(result.warnings);
    setOutcomes(new Map());
    setChosen(new Set(list.filter((r) => 'action' in r).map((r) => r.key)));
  };

  const fetchUrl = async () => {
    setBusy('fetch');
    setError(null);
    try {
      const fetched = await client.fetchOpenApi(chatbotId, url.trim());
      setText(fetched.text);
      await read(fetched.text);
    } catch (e) {
      setBusy(null);
      setError(e instanceof ActionsApiError ? t.error(e.code, e.message) : String(e));
    }
  };

  const create = async () => {
    if (!rows) return;
    setBusy('create');
    const next = new Map(outcomes);
    const created: StoredAction[] = [];
    for (const row of rows) {
      if (!('action' in row) || !chosen.has(row.key) || next.get(row.key)?.kind === 'created') continue;
      try {
        const action = await client.createAction(chatbotId, row.action);
        next.set(row.key, { kind: 'created', action });
        created.push(action);
      } catch (e) {
        next.set(row.key, {
          kind: 'failed',
          message: e instanceof ActionsApiError ? t.error(e.code, e.message) : String(e),
        });
      }
      setOutcomes(new Map(next));
    }
    setBusy(null);
    await queryClient.invalidateQueries({ queryKey: actionKeys.list(chatbotId) });
    if (created.length > 0) onCreated?.(created);
  };

  const importable = rows?.filter((r) => 'action' in r && outcomes.get(r.key)?.kind !== 'created') ?? [];
  const count = importable.filter((r) => chosen.has(r.key)).length;

  return (
    <KitDialog
      open={open}
      onOpenChange={onOpenChange}
      title={t.t('openapi.title')}
      description={t.t('openapi.description')}
    >
      <div className="aihio-openapi-import" data-slot="openapi-import">
        <div className="aihio-field">
          <label className="aihio-label" htmlFor={`${id}-url`}>
            {t.t('openapi.url')}
          </label>
          <div className="aihio-choice-add">
            <input
              id={`${id}-url`}
              className="aihio-input aihio-mono"
              type="url"
              value={url}
              placeholder="https://api.example.com/openapi.json"
              onChange={(e) => setUrl(e.currentTarget.value)}
            />
            <button
              type="button"
              className="aihio-button"
              data-variant="secondary"
              disabled={busy !== null || !url.trim().startsWith('https://')}
              onClick={() => void fetchUrl()}
            >
              {busy === 'fetch' ? t.t('openapi.fetching') : t.t('openapi.fetch')}
            </button>
          </div>
        </div>
        <div className="aihio-field">
          <label className="aihio-label" htmlFor={`${id}-file`}>
            {t.t('openapi.file')}
          </label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml"
            onChange={async (e) => {
              const file = e.currentTarget.files?.[0];
              if (!file) return;
              const content = await file.text();
              setText(content);
              await read(content);
            }}
          />
        </div>
        <div className="aihio-field">
          <label className="aihio-label" htmlFor={`${id}-text`}>
            {t.t('openapi.paste')}
          </label>
          <textarea
            id={`${id}-text`}
            className="aihio-input aihio-mono"
            rows={5}
            value={text}
            spellCheck={false}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <div className="aihio-actions-row">
            <button
              type="button"
              className="aihio-button"
              data-variant="secondary"
              disabled={busy !== null || text.trim() === ''}
              onClick={() => void read(text)}
            >
              {busy === 'read' ? t.t('openapi.reading') : t.t('openapi.read')}
            </button>
          </div>
        </div>
        {error ? (
          <div className="aihio-alert" data-variant="error" role="alert" data-slot="openapi-error">
            <p>{error}</p>
          </div>
        ) : null}
        {rows ? (
          <section aria-labelledby={`${id}-ops`} data-slot="operations">
            <h3 className="aihio-section-title" id={`${id}-ops`}>
              {t.t('openapi.operations', { title: title ?? '' })}
            </h3>
            {warnings.length > 0 ? (
              <ul className="aihio-warning" data-slot="document-warnings">
                {warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
            <ul className="aihio-operation-list">
              {rows.map((row) => {
                const outcome = outcomes.get(row.key);
                const label = `${row.method} ${row.path}`;
                return (
                  <li
                    key={row.key}
                    data-slot="operation"
                    data-state={'action' in row ? 'importable' : 'skipped'}
                  >
                    {'action' in row ? (
                      <label className="aihio-operation">
                        <input
                          type="checkbox"
                          className="aihio-checkbox"
                          checked={chosen.has(row.key)}
                          disabled={busy !== null || outcome?.kind === 'created'}
                          onChange={(e) => {
                            const checked = e.currentTarget.checked;
                            setChosen((set) => {
                              const copy = new Set(set);
                              if (checked) copy.add(row.key);
                              else copy.delete(row.key);
                              return copy;
                            });
                          }}
                        />
                        <span className="aihio-mono">{label}</span>
                        <span className="aihio-badge">{row.action.identifier}</span>
                      </label>
                    ) : (
                      <p className="aihio-muted">
                        <span className="aihio-mono">{label}</span> — {t.t('openapi.skipped')}: {row.skipped}
                      </p>
                    )}
                    {'action' in row && row.warnings.length > 0 ? (
                      <ul className="aihio-help">
                        {row.warnings.map((w) => (
                          <li key={w}>{w}</li>
                        ))}
                      </ul>
                    ) : null}
                    {outcome ? (
                      <p
                        className={outcome.kind === 'created' ? 'aihio-help' : 'aihio-error'}
                        data-slot="operation-outcome"
                      >
                        {outcome.kind === 'created' ? t.t('openapi.created') : outcome.message}
                      </p>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            <div className="aihio-actions-row">
              <button
                type="button"
                className="aihio-button"
                data-variant="primary"
                disabled={busy !== null || count === 0}
                onClick={() => void create()}
              >
                {busy === 'create' ? t.t('openapi.creating') : t.t('openapi.create', { count })}
              </button>
            </div>
          </section>
        ) : null}
      </div>
    </KitDialog>
  );
}
