import {
  type ActionDefinition,
  compileResponseShaping,
  cutChars,
  type IdentityField,
  type Issue,
  type RenderedRequest,
  renderRequest,
  shapeResponseBody,
  type TestResult,
} from '@aihio/actions-core';
import { zodResolver } from '@hookform/resolvers/zod';
import { type KeyboardEvent, useId, useMemo, useState } from 'react';
import { type FieldError, useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { ActionsApiError, type TestActionInput } from '../client';
import { useTestAction } from '../hooks';
import type { MessageKey } from '../i18n/en';
import type { Translator } from '../i18n/translate';
import { templateUsage } from '../lib/usage';
import { useRootProps, useTranslator } from '../provider';
import { describedBy, FieldMessages } from './field';
import { TypedValueInput, typedValueSchema } from './TypedValueInput';

export interface TestPanelProps {
  /** The action to test, as it is in the form (a draft) or as saved. */
  action: ActionDefinition;
  /** Runs the test. Without it the panel calls the BFF through `ActionsProvider` with `chatbotId`. */
  onRun?: (input: TestActionInput) => Promise<TestResult>;
  chatbotId?: string;
  /** With `draft={false}`, the saved action with this id is tested instead of `action`. */
  actionId?: string;
  /** Send `action` with the test (default). */
  draft?: boolean;
  /** Disables Run and says why (e.g. the draft has errors). */
  disabledReason?: string;
  /** Shows a result without running, e.g. in stories and docs. */
  initialResult?: TestOutcome;
  idPrefix?: string;
  /** Leave out the panel's own title and help (when a surrounding section already has them). */
  headless?: boolean;
  className?: string;
}

/** What Run produced: the call's result, or an API error before any call was made. */
export type TestOutcome = { kind: 'result'; result: TestResult } | { kind: 'error'; error: ActionsApiError };

interface TestFormValues {
  values: Record<string, string>;
  identity: Partial<Record<IdentityField, string>>;
  credential: string;
}

const IDENTITY_LABELS: Record<IdentityField, MessageKey> = {
  user_id: 'test.identity.user_id',
  email: 'test.identity.email',
  name: 'test.identity.name',
  phone: 'test.identity.phone',
};

function testSchema(action: ActionDefinition, identityFields: readonly IdentityField[], t: Translator) {
  const value = (parameter: ActionDefinition['parameters'][number]) => {
    const typed = typedValueSchema(parameter, t);
    return parameter.required
      ? z
          .string()
          .trim()
          .min(1, { message: t.t('test.value.required') })
          .pipe(typed)
      : z.union([z.literal(''), typed]);
  };
  return z.object({
    values: z.object(Object.fromEntries(action.parameters.map((p) => [p.name, value(p)]))),
    identity: z.object(
      Object.fromEntries(
        // Required: a request that sends an identity field fails closed without it.
        identityFields.map((f) => {
          const present = z
            .string()
            .trim()
            .min(1, { message: t.t('test.value.required') });
          return [f, f === 'email' ? present.pipe(z.email({ message: t.t('test.value.email') })) : present];
        }),
      ),
    ),
    credential:
      action.auth.type === 'none'
        ? z.string()
        : z.string().min(1, { message: t.t('error.credential_required') }),
  });
}

/**
 * "Test the action": a form generated from the parameters (typed inputs, checked by type), the
 * credential when the action authenticates, sample identity fields when it sends them; Run shows
 * the status, duration, headers and body, or a coded error explained in plain language.
 */
export function TestPanel(props: TestPanelProps) {
  return props.onRun ? <TestPanelView {...props} onRun={props.onRun} /> : <ConnectedTestPanel {...props} />;
}

function ConnectedTestPanel(props: TestPanelProps) {
  if (!props.chatbotId)
    throw new Error('`TestPanel` needs `onRun` or a `chatbotId` inside `ActionsProvider`.');
  const { mutateAsync } = useTestAction(props.chatbotId, props.actionId);
  const draft = props.draft ?? true;
  return (
    <TestPanelView
      {...props}
      onRun={(input) => mutateAsync(draft || !props.actionId ? { ...input, action: props.action } : input)}
    />
  );
}

function TestPanelView({
  action,
  onRun,
  disabledReason,
  initialResult,
  idPrefix,
  headless = false,
  className,
}: TestPanelProps & { onRun: (input: TestActionInput) => Promise<TestResult> }) {
  const t = useTranslator();
  const rootProps = useRootProps(className ? `aihio-test-panel ${className}` : 'aihio-test-panel');
  const generated = useId().replace(/:/g, '');
  const prefix = idPrefix ?? `aihio-${generated}-test`;
  const identityFields = useMemo(() => templateUsage(action).identityFields, [action]);
  const schema = useMemo(() => testSchema(action, identityFields, t), [action, identityFields, t]);
  const [outcome, setOutcome] = useState<TestOutcome | null>(initialResult ?? null);
  const form = useForm<TestFormValues>({
    resolver: zodResolver(schema) as never,
    defaultValues: { values: {}, identity: {}, credential: '' },
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { errors, isSubmitting } = form.formState;
  // What the shown result was run with, to mark it stale once the action or a value changes.
  const [ran, setRan] = useState<RunContext | null>(null);
  const watched = useWatch({ control: form.control });
  const currentKey = JSON.stringify([action, watched.values ?? {}, watched.identity ?? {}]);
  const stale = outcome !== null && ran !== null && ran.key !== currentKey;
  const credentialTyped = (watched.credential ?? '') !== '';

  const run = form.handleSubmit(async (data) => {
    const values: Record<string, string> = {};
    for (const p of action.parameters) {
      const v = data.values[p.name] ?? '';
      if (v !== '') values[p.name] = v;
    }
    const identity: Partial<Record<IdentityField, string>> = {};
    for (const f of identityFields) {
      const v = data.identity[f] ?? '';
      if (v !== '') identity[f] = v;
    }
    const typed = form.getValues();
    const rendered = renderRequest(action, values, { identity: { method: 'jwt', claims: identity } });
    setRan({
      key: JSON.stringify([action, typed.values ?? {}, typed.identity ?? {}]),
      request: rendered.ok ? rendered.request : null,
      credentialLast4: action.auth.type !== 'none' && data.credential ? data.credential.slice(-4) : null,
    });
    try {
      const result = await onRun({
        values,
        identity,
        ...(action.auth.type !== 'none' && data.credential ? { credential: data.credential } : {}),
      });
      setOutcome({ kind: 'result', result });
    } catch (error) {
      setOutcome({
        kind: 'error',
        error:
          error instanceof ActionsApiError
            ? error
            : new ActionsApiError(
                'internal_error',
                error instanceof Error ? error.message : String(error),
                0,
              ),
      });
    }
    // The credential stays for this editing session (in memory only, never stored) so each run
    // does not ask for it again; "Forget" clears it.
  });

  const serverIssues =
    outcome?.kind === 'result' && !outcome.result.ok
      ? (outcome.result.error.issues ?? [])
      : outcome?.kind === 'error'
        ? outcome.error.issues
        : [];
  const serverIssueFor = (name: string) =>
    serverIssues.filter((i) => i.path.includes(name)).map((i) => t.issue(i));

  // The panel sits inside the editor's form: Enter runs the test instead of saving.
  const runOnEnter = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void run();
    }
  };

  const textField = (
    id: string,
    label: string,
    registerName: `values.${string}` | `identity.${IdentityField}` | 'credential',
    fieldError: FieldError | undefined,
    extra: {
      type?: string;
      required?: boolean;
      help?: string;
      server?: string[];
      autoComplete?: string;
      /** A parameter's value: the input follows its type. */
      parameter?: ActionDefinition['parameters'][number];
    } = {},
  ) => {
    const messages = [...(fieldError?.message ? [fieldError.message] : []), ...(extra.server ?? [])];
    const invalid = messages.length > 0;
    return (
      <div className="aihio-field" data-slot="field" data-invalid={invalid || undefined} key={id}>
        {/* The required mark is CSS (::after), so it is not part of the label's text. */}
        <label className="aihio-label" htmlFor={id} data-required={extra.required || undefined}>
          {label}
        </label>
        {extra.parameter ? (
          <TypedValueInput
            id={id}
            t={t}
            parameter={extra.parameter}
            autoComplete="off"
            aria-required={extra.required || undefined}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy(id, Boolean(extra.help), invalid)}
            onKeyDown={runOnEnter}
            {...form.register(registerName)}
          />
        ) : (
          <input
            id={id}
            className="aihio-input"
            type={extra.type ?? 'text'}
            autoComplete={extra.autoComplete ?? 'off'}
            aria-required={extra.required || undefined}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy(id, Boolean(extra.help), invalid)}
            onKeyDown={runOnEnter}
            {...form.register(registerName)}
          />
        )}
        <FieldMessages id={id} help={extra.help} errors={messages} />
      </div>
    );
  };

  return (
    <section {...rootProps} data-slot="test-panel" aria-labelledby={headless ? undefined : `${prefix}-title`}>
      {headless ? null : (
        <h3 className="aihio-section-title" id={`${prefix}-title`}>
          {t.t('test.title')}
        </h3>
      )}
      <p className="aihio-help">{t.t('test.help')}</p>
      {/* Not a <form>: the panel sits inside the editor's form, and forms cannot nest. */}
      <div className="aihio-test-form">
        {action.parameters.length === 0 ? <p className="aihio-muted">{t.t('test.noParameters')}</p> : null}
        {action.parameters.map((p) =>
          textField(
            `${prefix}-value-${p.name}`,
            p.label || p.name,
            `values.${p.name}`,
            errors.values?.[p.name],
            {
              parameter: p,
              required: p.required,
              help: p.hint,
              server: serverIssueFor(p.name),
            },
          ),
        )}
        {identityFields.length > 0 ? (
          <fieldset className="aihio-fieldset" data-slot="sample-identity">
            <legend className="aihio-label">{t.t('test.identity')}</legend>
            <p className="aihio-help">{t.t('test.identity.help')}</p>
            {identityFields.map((f) =>
              textField(
                `${prefix}-identity-${f}`,
                t.t(IDENTITY_LABELS[f]),
                `identity.${f}`,
                errors.identity?.[f],
                {
                  type: f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text',
                  required: true,
                },
              ),
            )}
          </fieldset>
        ) : null}
        {action.auth.type !== 'none'
          ? textField(`${prefix}-credential`, t.t('test.credential'), 'credential', errors.credential, {
              type: 'password',
              required: true,
              help: t.t('test.credential.help'),
              autoComplete: 'new-password',
            })
          : null}
        {action.auth.type !== 'none' && credentialTyped ? (
          <button
            type="button"
            className="aihio-link-button"
            data-slot="forget-credential"
            onClick={() => {
              form.setValue('credential', '');
              document.getElementById(`${prefix}-credential`)?.focus();
            }}
          >
            {t.t('test.credential.forget')}
          </button>
        ) : null}
        <div className="aihio-actions-row">
          <button
            type="button"
            className="aihio-button"
            data-variant="primary"
            onClick={() => {
              if (!isSubmitting && disabledReason === undefined) void run();
            }}
            // aria-disabled, not disabled: focus stays on the button while and after it runs.
            aria-disabled={isSubmitting || disabledReason !== undefined || undefined}
            aria-describedby={disabledReason ? `${prefix}-disabled` : undefined}
            aria-busy={isSubmitting || undefined}
          >
            {isSubmitting ? t.t('test.running') : t.t('test.run')}
          </button>
          {disabledReason ? (
            <p className="aihio-help" id={`${prefix}-disabled`}>
              {disabledReason}
            </p>
          ) : null}
        </div>
      </div>
      <TestOutcomeView
        outcome={outcome}
        prefix={prefix}
        serverIssues={serverIssues}
        stale={stale}
        ran={ran}
        action={action}
      />
    </section>
  );
}

function prettyJson(body: string): string | null {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return null;
  }
}

interface RunContext {
  key: string;
  /** The request as rendered here from the sample values (the server renders it the same way). */
  request: RenderedRequest | null;
  credentialLast4: string | null;
}

/** The agent's default body budget (the BFF's AIHIO_INVOKE_BODY_BUDGET default). */
const AGENT_BODY_BUDGET = 16 * 1024;

function RequestView({ ran, action, prefix }: { ran: RunContext; action: ActionDefinition; prefix: string }) {
  const t = useTranslator();
  const request = ran.request;
  if (!request) return null;
  const headers = Object.entries(request.headers);
  if (action.auth.type !== 'none') {
    const masked = `•••• ${ran.credentialLast4 ?? ''}`.trim();
    headers.push(
      action.auth.type === 'bearer'
        ? ['Authorization', `Bearer ${masked}`]
        : [action.auth.type === 'api_key' ? action.auth.headerName : 'Authorization', masked],
    );
  }
  const text = [
    `${request.method} ${request.url}`,
    ...headers.map(([name, value]) => `${name}: ${value}`),
    ...(request.body ? ['', prettyJson(request.body) ?? request.body] : []),
  ].join('\n');
  return (
    <details className="aihio-details" data-slot="request" open>
      <summary id={`${prefix}-request`}>{t.t('test.request')}</summary>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe: scrollable-region-focusable) */}
      <section className="aihio-code-region" tabIndex={0} aria-labelledby={`${prefix}-request`}>
        <pre className="aihio-code">{text}</pre>
      </section>
    </details>
  );
}

function TestOutcomeView({
  outcome,
  prefix,
  serverIssues,
  stale = false,
  ran = null,
  action,
}: {
  outcome: TestOutcome | null;
  prefix: string;
  serverIssues: readonly Issue[];
  stale?: boolean;
  ran?: RunContext | null;
  action?: ActionDefinition;
}) {
  const t = useTranslator();
  const [raw, setRaw] = useState(false);
  const summary =
    outcome === null
      ? ''
      : outcome.kind === 'result' && outcome.result.ok
        ? `${t.t('test.status')}: ${outcome.result.status} · ${t.t('test.durationValue', { ms: Math.round(outcome.result.durationMs) })}`
        : `${t.t('test.failed')}: ${t.error(outcome.kind === 'result' && !outcome.result.ok ? outcome.result.error.code : outcome.kind === 'error' ? outcome.error.code : '')}`;
  return (
    <div
      className="aihio-test-result"
      data-slot="test-result"
      data-state={outcome === null ? 'idle' : outcome.kind === 'result' && outcome.result.ok ? 'ok' : 'error'}
      data-stale={stale || undefined}
    >
      {/* Announce one line, not the whole body. */}
      <p className="aihio-visually-hidden" role="status" aria-live="polite">
        {summary}
      </p>
      {stale ? (
        <p className="aihio-notice" data-slot="stale">
          {t.t('test.stale')}
        </p>
      ) : null}
      {outcome !== null && ran && action ? <RequestView ran={ran} action={action} prefix={prefix} /> : null}
      {outcome === null
        ? null
        : outcome.kind === 'result' && outcome.result.ok
          ? (() => {
              const result = outcome.result;
              const pretty = prettyJson(result.body);
              const shown = pretty !== null && !raw ? pretty : result.body;
              const statusClass =
                result.status >= 200 && result.status < 300
                  ? 'success'
                  : result.status >= 400
                    ? 'error'
                    : 'warning';
              return (
                <>
                  <h4 className="aihio-section-title">{t.t('test.result')}</h4>
                  <dl className="aihio-result-meta">
                    <div>
                      <dt>{t.t('test.status')}</dt>
                      <dd>
                        <span className="aihio-badge" data-variant={statusClass} data-slot="status">
                          {result.status}
                        </span>
                      </dd>
                    </div>
                    <div>
                      <dt>{t.t('test.duration')}</dt>
                      <dd data-slot="duration">
                        {t.t('test.durationValue', { ms: Math.round(result.durationMs) })}
                      </dd>
                    </div>
                  </dl>
                  {Object.keys(result.headers).length > 0 ? (
                    <details className="aihio-details">
                      <summary>{t.t('test.headers')}</summary>
                      <table className="aihio-table aihio-headers-table">
                        <tbody>
                          {Object.entries(result.headers).map(([name, value]) => (
                            <tr key={name}>
                              <th scope="row" className="aihio-mono">
                                {name}
                              </th>
                              <td className="aihio-mono">{value}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </details>
                  ) : null}
                  <div className="aihio-body-header">
                    <h5 className="aihio-label" id={`${prefix}-body`}>
                      {t.t('test.body')}
                    </h5>
                    {pretty !== null ? (
                      <div className="aihio-segmented">
                        <button
                          type="button"
                          aria-pressed={!raw}
                          data-state={raw ? 'off' : 'on'}
                          onClick={() => setRaw(false)}
                        >
                          {t.t('test.body.pretty')}
                        </button>
                        <button
                          type="button"
                          aria-pressed={raw}
                          data-state={raw ? 'on' : 'off'}
                          onClick={() => setRaw(true)}
                        >
                          {t.t('test.body.raw')}
                        </button>
                      </div>
                    ) : null}
                  </div>
                  {result.status >= 300 && result.status < 400 ? (
                    <div className="aihio-alert" data-variant="warning" data-slot="redirect">
                      <p>{t.t('test.redirect', { status: result.status })}</p>
                      {locationOf(result.headers) ? (
                        <p>
                          {t.t('test.redirect.location')}{' '}
                          <span className="aihio-mono aihio-break">{locationOf(result.headers)}</span>
                        </p>
                      ) : null}
                    </div>
                  ) : null}
                  {action ? (
                    <AgentView action={action} status={result.status} body={result.body} prefix={prefix} />
                  ) : null}
                  {result.truncated ? (
                    <p className="aihio-warning" data-slot="truncated">
                      {t.t('test.truncated')}
                    </p>
                  ) : null}
                  {result.body === '' ? (
                    <p className="aihio-muted">{t.t('test.body.empty')}</p>
                  ) : (
                    <>
                      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe: scrollable-region-focusable) */}
                      <section className="aihio-code-region" tabIndex={0} aria-labelledby={`${prefix}-body`}>
                        <pre className="aihio-code" data-slot="body">
                          {shown}
                        </pre>
                      </section>
                    </>
                  )}
                </>
              );
            })()
          : (() => {
              const code =
                outcome.kind === 'result' && !outcome.result.ok
                  ? outcome.result.error.code
                  : outcome.kind === 'error'
                    ? outcome.error.code
                    : 'internal_error';
              const message =
                outcome.kind === 'result' && !outcome.result.ok
                  ? outcome.result.error.message
                  : outcome.kind === 'error'
                    ? outcome.error.message
                    : '';
              const explanation = t.error(code, message);
              return (
                <div className="aihio-alert" data-variant="error" data-slot="test-error" data-code={code}>
                  <h4 className="aihio-alert-title">{t.t('test.failed')}</h4>
                  <p>{explanation}</p>
                  {serverIssues.length > 0 ? (
                    <ul>
                      {serverIssues.map((issue) => (
                        <li key={`${issue.path.join('.')}-${issue.code}`}>
                          <span className="aihio-mono">{issue.path.join('.')}</span>: {t.issue(issue)}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <p className="aihio-muted aihio-mono">{t.t('test.errorCode', { code })}</p>
                </div>
              );
            })()}
    </div>
  );
}

function locationOf(headers: Record<string, string>): string | undefined {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'location');
  return entry?.[1];
}

/** What the agent would receive of this response: its status and the body shaped and cut to the budget. */
function AgentView({
  action,
  status,
  body,
  prefix,
}: {
  action: ActionDefinition;
  status: number;
  body: string;
  prefix: string;
}) {
  const t = useTranslator();
  const { shaper } = compileResponseShaping(action.response);
  const shaped = shapeResponseBody(shaper, body);
  const budgeted = cutChars(shaped.body, AGENT_BODY_BUDGET);
  return (
    <details className="aihio-details" data-slot="agent-view">
      <summary id={`${prefix}-agent`}>{t.t('test.agent')}</summary>
      <p className="aihio-help">{t.t('test.agent.help')}</p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe: scrollable-region-focusable) */}
      <section className="aihio-code-region" tabIndex={0} aria-labelledby={`${prefix}-agent`}>
        <pre className="aihio-code">{JSON.stringify({ status, body: budgeted.text }, null, 2)}</pre>
      </section>
      {shaped.cut || budgeted.cut ? <p className="aihio-muted">{t.t('test.agent.cut')}</p> : null}
    </details>
  );
}
