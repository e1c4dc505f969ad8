import {
  type ActionDefinition,
  type CredentialDropReason,
  type CredentialSummary,
  credentialDropReason,
  emptyAction,
  HTTP_METHODS,
  IDENTITY_FIELDS,
  type Issue,
  type IssueCode,
  LIMITS,
  METHODS_WITH_BODY,
  type StoredAction,
  type TestResult,
  validateAction,
} from '@aihio/actions-core';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Controller, type Resolver, useFieldArray, useForm, useWatch } from 'react-hook-form';
import { ActionsApiError, type TestActionInput } from '../client';
import { useAction, useRemoveCredential, useSaveAction, useSetCredential, useTestAction } from '../hooks';
import type { MessageKey } from '../i18n/en';
import { fieldId, groupIssues, pathKey, templateUsage } from '../lib/usage';
import { useRootProps, useTranslator } from '../provider';
import { AuthPicker } from './AuthPicker';
import { CurlImportDialog } from './CurlImportDialog';
import { ConfirmDialog } from './dialog';
import { describedBy, FieldMessages } from './field';
import { GdprNotice } from './GdprNotice';
import { ParameterTable } from './ParameterTable';
import { TemplateInput, type TemplateSuggestion } from './TemplateInput';
import { TestPanel } from './TestPanel';

export interface ActionEditorSaveContext {
  /** The credential the owner typed, to store with the action; `null` when none was typed. */
  secret: string | null;
}

export interface ActionEditorProps {
  /** Controlled: the definition in the form. Pair with `onChange`. */
  value?: ActionDefinition;
  /** Uncontrolled: the starting definition (a blank action when omitted). */
  defaultValue?: ActionDefinition;
  /** Every change, as a definition (body `null` when empty). */
  onChange?: (value: ActionDefinition) => void;
  /**
   * Connected mode: with `chatbotId` (inside `ActionsProvider`) the editor loads `actionId`, saves
   * through the BFF, stores the credential and runs tests there.
   */
  chatbotId?: string;
  actionId?: string;
  onSaved?: (action: StoredAction) => void;
  /**
   * Standalone save: called with a definition that passed `validateAction`. Reject with an
   * `ActionsApiError` to show a server error (`identifier_taken`, `version_conflict`, issues).
   */
  onSubmit?: (definition: ActionDefinition, context: ActionEditorSaveContext) => void | Promise<void>;
  /** Standalone test runner; the test section is shown when this is given or in connected mode. */
  onTest?: (input: TestActionInput) => Promise<TestResult>;
  /** Standalone: the stored credential's summary (`•••• last4`). */
  credential?: CredentialSummary | null;
  onRemoveCredential?: () => void | Promise<void>;
  /** Shows Cancel; when the form has unsaved changes, the owner confirms first. */
  onCancel?: () => void;
  /** Whether there are unsaved changes, for the host's router guard. */
  onDirtyChange?: (dirty: boolean) => void;
  /** Ask the browser to confirm leaving the page with unsaved changes (default true). */
  guardUnload?: boolean;
  /** Shows "Import from curl" (default true). */
  allowCurlImport?: boolean;
  className?: string;
}

/** Issues shown at once, without waiting for the owner to touch their field: they follow from a change elsewhere. */
const ALWAYS_SHOWN: ReadonlySet<IssueCode> = new Set<IssueCode>([
  'placeholder_parameter_optional',
  'identity_requires_verification',
  'body_not_allowed',
  'header_auth_conflict',
]);

interface FormValues extends Omit<ActionDefinition, 'body'> {
  body: string;
}

function toForm(definition: ActionDefinition): FormValues {
  return { ...definition, body: definition.body ?? '' };
}

/** The form's values as a definition: an empty body is `null`, an empty hint is absent. */
/** Two definitions are the same when their canonical (validated) forms serialize alike. */
function sameDefinition(a: ActionDefinition, b: ActionDefinition): boolean {
  const ca = validateAction(a);
  const cb = validateAction(b);
  return ca.ok && cb.ok && JSON.stringify(ca.action) === JSON.stringify(cb.action);
}

export function toDefinition(values: FormValues): ActionDefinition {
  return {
    ...values,
    body: values.body === '' ? null : values.body,
    parameters: values.parameters.map(({ hint, ...p }) => (hint ? { ...p, hint } : p)),
  };
}

/** The notice shown when saving would drop the stored credential, per reason. */
const CREDENTIAL_DROP_KEYS: Record<CredentialDropReason, MessageKey> = {
  origin: 'editor.credentialDrop.origin',
  auth_type: 'editor.credentialDrop.auth_type',
  header_name: 'editor.credentialDrop.header_name',
};

function asApiError(error: unknown): ActionsApiError {
  return error instanceof ActionsApiError
    ? error
    : new ActionsApiError('internal_error', error instanceof Error ? error.message : String(error), 0);
}

const actionResolver: Resolver<FormValues> = async (values) => {
  const result = validateAction(toDefinition(values));
  if (result.ok) return { values, errors: {} };
  const errors: Record<string, { type: string; message: string }> = {};
  for (const issue of result.errors) {
    const key = pathKey(issue.path) || 'root';
    errors[key] ??= { type: issue.code, message: issue.message };
  }
  return { values: {}, errors: errors as never };
};

/**
 * The whole form of an action, following the product's steps: basics, parameters, headers and
 * body, authentication, verified identity, test, save. Controlled or uncontrolled; connected to
 * the BFF with `chatbotId`, or standalone with `onSubmit` / `onTest`.
 */
export function ActionEditor(props: ActionEditorProps) {
  return props.chatbotId ? (
    <ConnectedActionEditor {...props} chatbotId={props.chatbotId} />
  ) : (
    <ActionForm {...props} />
  );
}

function ConnectedActionEditor(props: ActionEditorProps & { chatbotId: string }) {
  const { chatbotId, actionId, onSaved } = props;
  const t = useTranslator();
  const rootProps = useRootProps('aihio-editor');
  // After creating, the editor follows the stored action (its version, its credential's last4).
  const [savedId, setSavedId] = useState(actionId);
  const [reloads, setReloads] = useState(0);
  const editedId = actionId ?? savedId;
  const stored = useAction(chatbotId, editedId);
  const save = useSaveAction(chatbotId);
  const setCredential = useSetCredential(chatbotId);
  const removeCredential = useRemoveCredential(chatbotId);
  const test = useTestAction(chatbotId, editedId);
  // The stored action the form edits, pinned when it loads. A background refetch must not move
  // the version under the owner's edits: every write sends it as If-Match, so a change made
  // elsewhere meanwhile (another host, say) is a version_conflict instead of being overwritten, or
  // of a credential being stored for a host the owner never saw. Own writes and Reload move it on.
  const [pinned, setPinned] = useState<StoredAction | undefined>(undefined);
  const base = pinned !== undefined && pinned.id === editedId ? pinned : undefined;
  if (base === undefined && stored.data !== undefined && stored.data.id === editedId) {
    setPinned(stored.data);
  }
  const current = base ?? (stored.data?.id === editedId ? stored.data : undefined);

  if (actionId !== undefined && stored.isPending) {
    return (
      <div {...rootProps} data-slot="action-editor" data-state="loading" aria-busy="true">
        <p className="aihio-muted">{t.t('common.loading')}</p>
      </div>
    );
  }
  if (actionId !== undefined && stored.isError) {
    return (
      <div {...rootProps} data-slot="action-editor" data-state="error">
        <div className="aihio-alert" data-variant="error" role="alert">
          <p>{t.t('editor.loadFailed')}</p>
          <p>{t.error(stored.error.code, stored.error.message)}</p>
          <button
            type="button"
            className="aihio-button"
            data-variant="secondary"
            onClick={() => void stored.refetch()}
          >
            {t.t('common.retry')}
          </button>
        </div>
      </div>
    );
  }
  const {
    id: _id,
    chatbotId: _c,
    version,
    createdAt: _a,
    updatedAt: _u,
    credential,
    lastRun: _l,
    ...definition
  } = current ?? ({ ...emptyAction(), version: undefined, credential: null } as unknown as StoredAction);

  return (
    <ActionForm
      {...props}
      // A reload after a version conflict starts a fresh form from the latest version.
      key={`${actionId ?? 'new'}:${reloads}`}
      defaultValue={current ? definition : props.defaultValue}
      credential={credential}
      storedIdentifier={current?.identifier}
      onSubmit={async (def, { secret }) => {
        const saved = await save.mutateAsync({ definition: def, actionId: current?.id, version });
        // Follow the saved version before storing the credential: should that be refused, the
        // action is saved, and a retry or Reload starts from it (not from a second create).
        setPinned(saved);
        setSavedId(saved.id);
        let final = saved;
        if (secret && def.auth.type !== 'none') {
          // Conditional on the version just saved: the secret goes with the host the owner saw.
          final =
            (await setCredential.mutateAsync({ actionId: saved.id, secret, version: saved.version })) ??
            saved;
          setPinned(final);
        }
        onSaved?.(final);
      }}
      onReload={
        current
          ? async () => {
              const latest = await stored.refetch();
              if (latest.data) setPinned(latest.data);
              setReloads((n) => n + 1);
            }
          : undefined
      }
      onRemoveCredential={
        current?.credential
          ? async () => {
              const removed = await removeCredential.mutateAsync({
                actionId: current.id,
                version: current.version,
              });
              // A 204 carries no action: the credential is gone, the version unknown (a later save
              // then meets version_conflict and reloads, never overwrites).
              setPinned(removed ?? { ...current, credential: null });
            }
          : undefined
      }
      onTest={
        props.onTest ??
        ((input) =>
          // An unchanged saved action is tested as saved, so the run lands in its history;
          // anything else is tested as the draft it is.
          test.mutateAsync(
            current && input.action && sameDefinition(input.action, definition)
              ? { ...input, action: undefined }
              : { ...input, action: input.action },
          ))
      }
    />
  );
}

interface ActionFormProps extends ActionEditorProps {
  onReload?: () => void | Promise<void>;
  storedIdentifier?: string;
}

function ActionForm({
  value,
  defaultValue,
  onChange,
  onSubmit,
  onTest,
  credential = null,
  onRemoveCredential,
  onCancel,
  onDirtyChange,
  guardUnload = true,
  allowCurlImport = true,
  onReload,
  storedIdentifier,
  className,
}: ActionFormProps) {
  const t = useTranslator();
  const rootProps = useRootProps(className ? `aihio-editor ${className}` : 'aihio-editor');
  const prefix = `aihio-${useId().replace(/:/g, '')}`;
  // The starting values, fixed at mount (a controlled `value` is adopted by the effect below).
  const [initial] = useState(() => toForm(value ?? defaultValue ?? emptyAction()));
  const form = useForm<FormValues>({ defaultValues: initial, resolver: actionResolver, mode: 'onSubmit' });
  const { control, register, formState } = form;
  const headers = useFieldArray({ control, name: 'headers' });
  const watched = useWatch({ control }) as FormValues;
  const definition = useMemo(() => toDefinition({ ...initial, ...watched }), [watched, initial]);

  const [interacted, setInteracted] = useState<ReadonlySet<string>>(() => new Set());
  const [submitAttempted, setSubmitAttempted] = useState(false);
  const [serverError, setServerError] = useState<ActionsApiError | null>(null);
  const [savedNotice, setSavedNotice] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [curlOpen, setCurlOpen] = useState(false);
  const secret = useRef('');
  const summaryRef = useRef<HTMLDivElement>(null);
  // The definition the stored credential was entered for: the one loaded, then each one saved.
  const [baseline, setBaseline] = useState(() => toDefinition(initial));
  // Saving drops the stored credential when the draft moves it to another origin, auth type or
  // API-key header: the BFF's rule, from core, so the warning and the server always agree.
  const dropReason = useMemo(
    () => (credential ? credentialDropReason(baseline, definition) : null),
    [credential, baseline, definition],
  );
  const dropNoticeId = `${prefix}-credential-drop`;

  // ---- live validation: the same rules as the server, at each field as the owner types
  const validation = useMemo(() => validateAction(definition), [definition]);
  const issues: readonly Issue[] = validation.ok ? [] : validation.errors;
  const serverIssues: readonly Issue[] = serverError?.issues ?? [];
  const allIssues = useMemo(() => [...issues, ...serverIssues], [issues, serverIssues]);
  const shown = useMemo(
    () =>
      groupIssues(
        allIssues.filter(
          (i) => submitAttempted || ALWAYS_SHOWN.has(i.code) || interacted.has(pathKey(i.path)),
        ),
      ),
    [allIssues, submitAttempted, interacted],
  );
  const messagesAt = (...path: (string | number)[]): string[] | undefined => {
    const list = shown.get(pathKey(path));
    const fromServer =
      serverError?.code === 'identifier_taken' && path.length === 1 && path[0] === 'identifier'
        ? [t.t('editor.identifierTaken')]
        : [];
    const messages = [...(list?.map((i) => t.issue(i)) ?? []), ...fromServer];
    return messages.length > 0 ? messages : undefined;
  };

  const usage = useMemo(() => templateUsage(definition), [definition]);
  const suggestions = useMemo<TemplateSuggestion[]>(
    () => [
      ...definition.parameters
        .filter((p) => p.name !== '')
        .map((p) => ({ name: p.name, kind: 'parameter' as const, detail: p.label || undefined })),
      ...IDENTITY_FIELDS.map((f) => ({ name: `identity.${f}`, kind: 'identity' as const })),
    ],
    [definition.parameters],
  );
  const parameterIssues = useMemo(
    () =>
      [...shown.values()]
        .flat()
        .filter((i) => i.path[0] === 'parameters' && typeof i.path[1] === 'number')
        .map((i) => ({ ...i, path: i.path.slice(1) })),
    [shown],
  );

  // ---- controlled mode: emit every change; adopt a new `value` from the host
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const lastEmitted = useRef<ActionDefinition | null>(null);
  useEffect(() => {
    const subscription = form.watch((values) => {
      const next = toDefinition(values as FormValues);
      lastEmitted.current = next;
      onChangeRef.current?.(next);
    });
    return () => subscription.unsubscribe();
  }, [form]);
  useEffect(() => {
    if (value === undefined || value === lastEmitted.current) return;
    if (JSON.stringify(value) !== JSON.stringify(toDefinition(form.getValues()))) {
      form.reset(toForm(value), { keepDefaultValues: true });
    }
  }, [value, form]);

  // ---- unsaved-changes guard
  const dirty = formState.isDirty;
  useEffect(() => {
    onDirtyChange?.(dirty);
  }, [dirty, onDirtyChange]);
  useEffect(() => {
    if (!dirty || !guardUnload) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty, guardUnload]);

  const markInteracted = (target: EventTarget) => {
    if (!(target instanceof HTMLElement)) return;
    const key = target.dataset.field;
    if (key && !interacted.has(key)) setInteracted((set) => new Set(set).add(key));
    if (serverError && serverError.code !== 'version_conflict') setServerError(null);
    if (savedNotice) setSavedNotice(false);
  };

  const focusPath = (path: readonly (string | number)[]) => {
    for (let n = path.length; n > 0; n -= 1) {
      const element = document.getElementById(fieldId(prefix, path.slice(0, n)));
      if (element) {
        element.focus();
        return;
      }
    }
  };

  const save = form.handleSubmit(
    async (values) => {
      setServerError(null);
      if (!onSubmit) return;
      const def = toDefinition(values);
      try {
        await onSubmit(def, { secret: secret.current === '' ? null : secret.current });
        secret.current = '';
        form.reset(toForm(def));
        setBaseline(def);
        setSubmitAttempted(false);
        setInteracted(new Set());
        setSavedNotice(true);
      } catch (error) {
        const apiError = asApiError(error);
        setServerError(apiError);
        if (apiError.code === 'identifier_taken') focusPath(['identifier']);
        else if (apiError.issues[0]) focusPath(apiError.issues[0].path);
        else requestAnimationFrame(() => summaryRef.current?.focus());
      }
    },
    () => {
      setSubmitAttempted(true);
      const first = issues[0];
      requestAnimationFrame(() => (first ? focusPath(first.path) : summaryRef.current?.focus()));
    },
  );

  // A refused removal (a version_conflict: the action changed meanwhile) is shown like a refused
  // save, with its Reload, instead of leaving the confirmation open with no explanation.
  const removeStoredCredential = onRemoveCredential
    ? async () => {
        setServerError(null);
        try {
          await onRemoveCredential();
        } catch (error) {
          setServerError(asApiError(error));
          requestAnimationFrame(() => summaryRef.current?.focus());
        }
      }
    : undefined;

  const methodHasBody = METHODS_WITH_BODY.includes(definition.method);
  const showBody = methodHasBody || definition.body !== null;
  const isEdit = storedIdentifier !== undefined;
  const summaryIssues = submitAttempted ? allIssues : [];

  const textInput = (path: 'identifier', help?: string) => {
    const id = fieldId(prefix, [path]);
    const errors = messagesAt(path);
    return (
      <div className="aihio-field" data-slot="field" data-invalid={errors ? true : undefined}>
        <label className="aihio-label" htmlFor={id}>
          {t.t('editor.identifier')}
        </label>
        <input
          id={id}
          className="aihio-input aihio-mono"
          autoComplete="off"
          spellCheck={false}
          maxLength={LIMITS.identifier}
          aria-invalid={errors ? true : undefined}
          aria-describedby={describedBy(id, Boolean(help), Boolean(errors))}
          data-field={path}
          {...register(path)}
        />
        <FieldMessages id={id} help={help} errors={errors} />
      </div>
    );
  };

  return (
    <form
      {...rootProps}
      data-slot="action-editor"
      data-state={dirty ? 'dirty' : 'clean'}
      noValidate
      aria-labelledby={`${prefix}-title`}
      onSubmit={(e) => void save(e)}
      onInput={(e) => markInteracted(e.target)}
      onBlur={(e) => markInteracted(e.target)}
      onChange={(e) => markInteracted(e.target)}
    >
      <header className="aihio-editor-header">
        <h2 className="aihio-title" id={`${prefix}-title`}>
          {isEdit ? t.t('editor.titleEdit', { identifier: storedIdentifier }) : t.t('editor.titleNew')}
        </h2>
        {allowCurlImport ? (
          <button
            type="button"
            className="aihio-button"
            data-variant="secondary"
            onClick={() => setCurlOpen(true)}
          >
            {t.t('editor.importCurl')}
          </button>
        ) : null}
      </header>

      {serverError || summaryIssues.length > 0 ? (
        <div
          ref={summaryRef}
          tabIndex={-1}
          className="aihio-alert"
          data-variant="error"
          role="alert"
          data-slot="error-summary"
          data-code={serverError?.code}
        >
          {serverError?.code === 'version_conflict' ? (
            <>
              <p>{t.t('editor.versionConflict')}</p>
              {onReload ? (
                <button
                  type="button"
                  className="aihio-button"
                  data-variant="secondary"
                  onClick={() => void onReload()}
                >
                  {t.t('editor.versionConflict.reload')}
                </button>
              ) : null}
            </>
          ) : serverError ? (
            <p>{t.error(serverError.code, serverError.message)}</p>
          ) : null}
          {summaryIssues.length > 0 ? (
            <>
              <p>
                {summaryIssues.length === 1
                  ? t.t('editor.errorsSummary.one')
                  : t.t('editor.errorsSummary', { count: summaryIssues.length })}
              </p>
              <ul>
                {summaryIssues.map((issue) => (
                  <li key={`${pathKey(issue.path)}:${issue.code}:${issue.message}`}>
                    <button type="button" className="aihio-link-button" onClick={() => focusPath(issue.path)}>
                      {t.issue(issue)}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}

      <section className="aihio-section" aria-labelledby={`${prefix}-basics`}>
        <h3 className="aihio-section-title" id={`${prefix}-basics`}>
          {t.t('editor.section.basics')}
        </h3>
        {textInput('identifier', t.t('editor.identifier.help'))}
        <div
          className="aihio-field"
          data-slot="field"
          data-invalid={messagesAt('description') ? true : undefined}
        >
          <label className="aihio-label" htmlFor={fieldId(prefix, ['description'])}>
            {t.t('editor.description')}
          </label>
          <textarea
            id={fieldId(prefix, ['description'])}
            className="aihio-input"
            rows={3}
            maxLength={LIMITS.description}
            aria-invalid={messagesAt('description') ? true : undefined}
            aria-describedby={describedBy(
              fieldId(prefix, ['description']),
              true,
              Boolean(messagesAt('description')),
            )}
            data-field="description"
            {...register('description')}
          />
          <FieldMessages
            id={fieldId(prefix, ['description'])}
            help={t.t('editor.description.help')}
            errors={messagesAt('description')}
          />
        </div>
        <div className="aihio-grid-method-url">
          <div className="aihio-field" data-slot="field">
            <label className="aihio-label" htmlFor={fieldId(prefix, ['method'])}>
              {t.t('editor.method')}
            </label>
            <select
              id={fieldId(prefix, ['method'])}
              className="aihio-select"
              data-field="method"
              aria-invalid={messagesAt('method') ? true : undefined}
              aria-describedby={describedBy(
                fieldId(prefix, ['method']),
                false,
                Boolean(messagesAt('method')),
              )}
              {...register('method')}
            >
              {HTTP_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
            <FieldMessages id={fieldId(prefix, ['method'])} errors={messagesAt('method')} />
          </div>
          <div className="aihio-field" data-slot="field" data-invalid={messagesAt('url') ? true : undefined}>
            <label className="aihio-label" htmlFor={fieldId(prefix, ['url'])}>
              {t.t('editor.url')}
            </label>
            <Controller
              control={control}
              name="url"
              render={({ field }) => (
                <TemplateInput
                  id={fieldId(prefix, ['url'])}
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  inputRef={field.ref}
                  suggestions={suggestions}
                  data-field="url"
                  aria-invalid={messagesAt('url') ? true : undefined}
                  aria-describedby={[
                    describedBy(fieldId(prefix, ['url']), true, Boolean(messagesAt('url'))),
                    dropReason === 'origin' ? dropNoticeId : null,
                  ]
                    .filter(Boolean)
                    .join(' ')}
                />
              )}
            />
            <FieldMessages
              id={fieldId(prefix, ['url'])}
              help={t.t('editor.url.help')}
              errors={messagesAt('url')}
            />
          </div>
        </div>
      </section>

      <section className="aihio-section" aria-labelledby={`${prefix}-parameters-title`}>
        <h3 className="aihio-section-title" id={`${prefix}-parameters-title`}>
          {t.t('editor.section.parameters')}
        </h3>
        <p className="aihio-help">{t.t('parameters.help')}</p>
        <div id={fieldId(prefix, ['parameters'])} tabIndex={-1}>
          <FieldMessages id={fieldId(prefix, ['parameters'])} errors={messagesAt('parameters')} />
          <Controller
            control={control}
            name="parameters"
            render={({ field }) => (
              <ParameterTable
                value={field.value}
                onValueChange={field.onChange}
                usage={usage.byName}
                issues={parameterIssues}
                idPrefix={fieldId(prefix, ['parameters'])}
                maxParameters={LIMITS.parameters}
              />
            )}
          />
        </div>
      </section>

      <section className="aihio-section" aria-labelledby={`${prefix}-request`}>
        <h3 className="aihio-section-title" id={`${prefix}-request`}>
          {t.t('editor.section.request')}
        </h3>
        <fieldset className="aihio-fieldset" data-slot="headers">
          <legend className="aihio-label">{t.t('editor.headers')}</legend>
          {headers.fields.length === 0 ? <p className="aihio-muted">{t.t('editor.headers.empty')}</p> : null}
          {headers.fields.map((header, index) => {
            const nameId = fieldId(prefix, ['headers', index, 'name']);
            const valueId = fieldId(prefix, ['headers', index, 'value']);
            const nameErrors = messagesAt('headers', index, 'name');
            const valueErrors = [
              ...(messagesAt('headers', index, 'value') ?? []),
              ...(messagesAt('headers', index) ?? []),
            ];
            return (
              <div className="aihio-header-row" key={header.id} data-slot="header-row">
                <div className="aihio-field" data-invalid={nameErrors ? true : undefined}>
                  <label className="aihio-label aihio-label-small" htmlFor={nameId}>
                    {t.t('editor.headers.name')} {index + 1}
                  </label>
                  <input
                    id={nameId}
                    className="aihio-input aihio-mono"
                    autoComplete="off"
                    spellCheck={false}
                    data-field={`headers.${index}.name`}
                    aria-invalid={nameErrors ? true : undefined}
                    aria-describedby={describedBy(nameId, false, Boolean(nameErrors))}
                    {...register(`headers.${index}.name`)}
                  />
                  <FieldMessages id={nameId} errors={nameErrors} />
                </div>
                <div className="aihio-field" data-invalid={valueErrors.length > 0 ? true : undefined}>
                  <label className="aihio-label aihio-label-small" htmlFor={valueId}>
                    {t.t('editor.headers.value')} {index + 1}
                  </label>
                  <Controller
                    control={control}
                    name={`headers.${index}.value`}
                    render={({ field }) => (
                      <TemplateInput
                        id={valueId}
                        value={field.value}
                        onChange={field.onChange}
                        onBlur={field.onBlur}
                        inputRef={field.ref}
                        suggestions={suggestions}
                        data-field={`headers.${index}.value`}
                        aria-invalid={valueErrors.length > 0 ? true : undefined}
                        aria-describedby={describedBy(valueId, false, valueErrors.length > 0)}
                      />
                    )}
                  />
                  <FieldMessages id={valueId} errors={valueErrors} />
                </div>
                <button
                  type="button"
                  className="aihio-icon-button"
                  data-variant="destructive"
                  aria-label={t.t('editor.headers.remove', { index: index + 1 })}
                  onClick={() => headers.remove(index)}
                >
                  <span aria-hidden="true">×</span>
                </button>
              </div>
            );
          })}
          <button
            type="button"
            className="aihio-button"
            data-variant="secondary"
            disabled={headers.fields.length >= LIMITS.headers}
            onClick={() => headers.append({ name: '', value: '' })}
          >
            {t.t('editor.headers.add')}
          </button>
        </fieldset>

        {showBody ? (
          <div className="aihio-field" data-slot="field" data-invalid={messagesAt('body') ? true : undefined}>
            <label className="aihio-label" htmlFor={fieldId(prefix, ['body'])}>
              {t.t('editor.body')}
            </label>
            <Controller
              control={control}
              name="body"
              render={({ field }) => (
                <TemplateInput
                  id={fieldId(prefix, ['body'])}
                  multiline
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  inputRef={field.ref}
                  suggestions={suggestions}
                  data-field="body"
                  aria-invalid={messagesAt('body') ? true : undefined}
                  aria-describedby={describedBy(fieldId(prefix, ['body']), true, Boolean(messagesAt('body')))}
                />
              )}
            />
            <FieldMessages
              id={fieldId(prefix, ['body'])}
              help={t.t('editor.body.help')}
              errors={messagesAt('body')}
            />
          </div>
        ) : (
          <p className="aihio-muted" data-slot="body-not-allowed">
            {t.t('editor.body.notAllowed', { method: definition.method })}
          </p>
        )}
      </section>

      <section className="aihio-section" aria-labelledby={`${prefix}-auth-title`}>
        <h3 className="aihio-section-title" id={`${prefix}-auth-title`}>
          {t.t('editor.section.auth')}
        </h3>
        <Controller
          control={control}
          name="auth"
          render={({ field }) => (
            <AuthPicker
              value={field.value}
              onValueChange={field.onChange}
              // A credential this draft would drop is shown as missing, so the owner can enter
              // the one for the new settings (the notice before Save says why).
              credential={dropReason ? null : credential}
              onSecretChange={(s) => {
                secret.current = s;
              }}
              onRemoveCredential={removeStoredCredential}
              headerNameErrors={messagesAt('auth', 'headerName')}
              idPrefix={fieldId(prefix, ['auth'])}
            />
          )}
        />
      </section>

      <section className="aihio-section" aria-labelledby={`${prefix}-identity-title`}>
        <h3 className="aihio-section-title" id={`${prefix}-identity-title`}>
          {t.t('editor.section.identity')}
        </h3>
        <div
          className="aihio-check-field"
          data-invalid={messagesAt('requireVerifiedIdentity') ? true : undefined}
        >
          <input
            type="checkbox"
            className="aihio-checkbox"
            id={fieldId(prefix, ['requireVerifiedIdentity'])}
            data-field="requireVerifiedIdentity"
            aria-invalid={messagesAt('requireVerifiedIdentity') ? true : undefined}
            aria-describedby={describedBy(
              fieldId(prefix, ['requireVerifiedIdentity']),
              true,
              Boolean(messagesAt('requireVerifiedIdentity')),
            )}
            {...register('requireVerifiedIdentity')}
          />
          <label htmlFor={fieldId(prefix, ['requireVerifiedIdentity'])}>
            {t.t('editor.requireVerifiedIdentity')}
          </label>
          <FieldMessages
            id={fieldId(prefix, ['requireVerifiedIdentity'])}
            help={t.t('editor.requireVerifiedIdentity.help')}
            errors={usage.identityFields.length > 0 ? undefined : messagesAt('requireVerifiedIdentity')}
          />
        </div>
        <GdprNotice
          id={`${prefix}-gdpr`}
          identityFields={usage.identityFields}
          requireVerifiedIdentity={definition.requireVerifiedIdentity}
          onRequireVerifiedIdentity={() =>
            form.setValue('requireVerifiedIdentity', true, { shouldDirty: true, shouldTouch: true })
          }
        />
      </section>

      {onTest ? (
        <TestPanel
          action={definition}
          onRun={(input) => onTest({ ...input, action: definition })}
          disabledReason={validation.ok ? undefined : t.t('test.invalidDraft')}
          idPrefix={`${prefix}-test`}
        />
      ) : null}

      {/* Always rendered, so screen readers announce the notice when an edit makes it appear. */}
      <div role="status" data-slot="credential-drop" data-reason={dropReason ?? undefined}>
        {dropReason && credential ? (
          <p className="aihio-notice" id={dropNoticeId}>
            {t.t(CREDENTIAL_DROP_KEYS[dropReason], { last4: credential.last4 })}
          </p>
        ) : null}
      </div>

      <footer className="aihio-editor-footer">
        <div className="aihio-check-field">
          <input
            type="checkbox"
            className="aihio-checkbox"
            id={fieldId(prefix, ['enabled'])}
            {...register('enabled')}
          />
          <label htmlFor={fieldId(prefix, ['enabled'])}>{t.t('editor.enabled')}</label>
        </div>
        <div className="aihio-actions-row">
          {onCancel ? (
            <button
              type="button"
              className="aihio-button"
              data-variant="ghost"
              onClick={() => (dirty ? setConfirmDiscard(true) : onCancel())}
            >
              {t.t('editor.cancel')}
            </button>
          ) : null}
          <button
            type="submit"
            className="aihio-button"
            data-variant="primary"
            disabled={formState.isSubmitting}
            aria-busy={formState.isSubmitting || undefined}
            aria-describedby={dropReason ? dropNoticeId : undefined}
          >
            {formState.isSubmitting ? t.t('common.saving') : t.t('editor.save')}
          </button>
        </div>
        <p role="status" className="aihio-saved" data-slot="saved">
          {savedNotice ? t.t('editor.saved') : ''}
        </p>
      </footer>

      <ConfirmDialog
        open={confirmDiscard}
        onOpenChange={setConfirmDiscard}
        title={t.t('editor.discard.title')}
        body={t.t('editor.discard.body')}
        confirmLabel={t.t('editor.discard.confirm')}
        cancelLabel={t.t('editor.discard.keep')}
        destructive
        onConfirm={() => {
          setConfirmDiscard(false);
          form.reset();
          onCancel?.();
        }}
      />
      {allowCurlImport ? (
        <CurlImportDialog
          open={curlOpen}
          onOpenChange={setCurlOpen}
          onImport={(imported) => {
            // One reset, not field-by-field setValue: the body field mounts only once the method allows it.
            const current = form.getValues();
            form.reset(
              {
                ...current,
                method: imported.method,
                url: imported.url,
                headers: imported.headers,
                body: imported.body ?? '',
                auth: imported.auth ?? current.auth,
                parameters: [...current.parameters, ...imported.parameters],
              },
              { keepDefaultValues: true },
            );
            setInteracted((set) => new Set([...set, 'url', 'body', 'method']));
          }}
        />
      ) : null}
    </form>
  );
}
