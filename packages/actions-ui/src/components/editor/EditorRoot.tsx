import {
  type ActionDefinition,
  type CredentialSummary,
  credentialDropReason,
  emptyAction,
  IDENTITY_FIELDS,
  type Issue,
  type StoredAction,
  type TestResult,
} from '@aihio/actions-core';
import {
  type ReactNode,
  startTransition,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useForm } from 'react-hook-form';
import type { ActionsApiError, TestActionInput } from '../../client';
import { useAction, useRemoveCredential, useSaveAction, useSetCredential, useTestAction } from '../../hooks';
import { groupIssues, fieldId as makeFieldId, pathKey, templateUsage } from '../../lib/usage';
import { useRootProps, useTranslator } from '../../provider';
import type { CurlImportResult } from '../CurlImportDialog';
import { ConfirmDialog } from '../dialog';
import type { TemplateSuggestion } from '../TemplateInput';
import {
  ActionEditorContext,
  type ActionEditorContextValue,
  type EditorSaveState,
  type EditorSectionEntry,
} from './context';
import { CREDENTIAL_DROP_KEYS } from './EditorAuthentication';
import {
  type ActionFormValues,
  ALWAYS_SHOWN,
  actionResolver,
  asApiError,
  sameDefinition,
  toDefinition,
  toForm,
  validateDraft,
} from './form-model';
import { replaceEqualDeep } from './share';
import { useUnsavedChangesGuard } from './UnsavedChangesDialog';

export interface ActionEditorSaveContext {
  /** The credential the owner typed, to store with the action; `null` when none was typed. */
  secret: string | null;
}

export interface ActionEditorRootProps {
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
  /**
   * Whether the chatbot has identity verification set up (a signed-JWT secret). When `false`,
   * turning on an action that requires a verified identity warns: its calls would all fail.
   */
  identitySetUp?: boolean;
  /** Focus the editor's title when it mounts (after the host opened it, e.g. from "Add action"). */
  autoFocus?: boolean;
  className?: string;
  /** The parts, in the order to show them. */
  children?: ReactNode;
}

/**
 * Owns the form (one react-hook-form instance over the definition), its validation (core's
 * `validateAction`, the server's rules) and its save and test state; renders the `<form>` and
 * shares all of it with the parts inside through context. Connected to the BFF with `chatbotId`,
 * standalone with `onSubmit` / `onTest`.
 */
export function ActionEditorRoot(props: ActionEditorRootProps) {
  return props.chatbotId ? <ConnectedRoot {...props} chatbotId={props.chatbotId} /> : <FormRoot {...props} />;
}

function ConnectedRoot(props: ActionEditorRootProps & { chatbotId: string }) {
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
    <FormRoot
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

interface FormRootProps extends ActionEditorRootProps {
  onReload?: () => void | Promise<void>;
  storedIdentifier?: string;
}

function documentOrder(a: EditorSectionEntry, b: EditorSectionEntry): number {
  const ea = document.getElementById(a.headingId);
  const eb = document.getElementById(b.headingId);
  if (!ea || !eb) return 0;
  return ea.compareDocumentPosition(eb) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
}

function FormRoot({
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
  autoFocus = false,
  identitySetUp,
  onReload,
  storedIdentifier,
  className,
  children,
}: FormRootProps) {
  const t = useTranslator();
  const rootProps = useRootProps(className ? `aihio-editor ${className}` : 'aihio-editor');
  const idPrefix = `aihio-${useId().replace(/:/g, '')}`;
  const fieldId = useCallback(
    (path: readonly (string | number)[]) => makeFieldId(idPrefix, path),
    [idPrefix],
  );
  // The starting values, fixed at mount (a controlled `value` is adopted by the effect below).
  const [initial] = useState(() => toForm(value ?? defaultValue ?? emptyAction()));
  const form = useForm<ActionFormValues>({
    defaultValues: initial,
    resolver: actionResolver,
    mode: 'onSubmit',
  });
  const { formState } = form;

  // ---- the definition, derived after each change in a transition: the keystroke itself updates
  // only the input (and its Controller); validation and everything shown from it follow at once
  // after, interruptible, instead of inside the keystroke's frame (bench/README.md, ui).
  const [definition, setDefinition] = useState(() => toDefinition(initial));
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const lastEmitted = useRef<ActionDefinition | null>(null);
  useEffect(() => {
    const snapshot = () => toDefinition(structuredClone(form.getValues()));
    const subscription = form.watch(() => {
      if (onChangeRef.current) {
        const next = snapshot();
        lastEmitted.current = next;
        onChangeRef.current(next);
      }
      startTransition(() => setDefinition((prev) => replaceEqualDeep(prev, snapshot())));
    });
    return () => subscription.unsubscribe();
  }, [form]);
  useEffect(() => {
    if (value === undefined || value === lastEmitted.current) return;
    if (JSON.stringify(value) !== JSON.stringify(toDefinition(form.getValues()))) {
      form.reset(toForm(value), { keepDefaultValues: true });
    }
  }, [value, form]);

  const [interacted, setInteracted] = useState<ReadonlySet<string>>(() => new Set());
  const [submitAttempted, setSubmitAttempted] = useState(false);
  const [serverError, setServerError] = useState<ActionsApiError | null>(null);
  const [savedNotice, setSavedNotice] = useState(false);
  const secret = useRef('');
  const [secretEntered, setSecretEntered] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  // The definition the stored credential was entered for: the one loaded, then each one saved.
  const [baseline, setBaseline] = useState(() => toDefinition(initial));
  // Saving drops the stored credential when the draft moves it to another origin, auth type or
  // API-key header: the BFF's rule, from core, so the warning and the server always agree.
  // ---- live validation: the same rules as the server, at each field as the owner types
  const validation = useMemo(() => validateDraft(definition), [definition]);
  const urlValid = validation.ok || !validation.errors.some((i) => i.path[0] === 'url');
  const dropReason = useMemo(() => {
    if (!credential) return null;
    const reason = credentialDropReason(baseline, definition);
    // A URL being typed has no host yet: nothing is said until it is a URL the action could call.
    return reason === 'origin' && !urlValid ? null : reason;
  }, [credential, baseline, definition, urlValid]);
  const [confirmDrop, setConfirmDrop] = useState(false);
  const issues: readonly Issue[] = validation.ok ? [] : validation.errors;
  const allIssues = useMemo(() => [...issues, ...(serverError?.issues ?? [])], [issues, serverError]);
  const shownIssues = useMemo(
    () =>
      allIssues.filter((i) => submitAttempted || ALWAYS_SHOWN.has(i.code) || interacted.has(pathKey(i.path))),
    [allIssues, submitAttempted, interacted],
  );
  const shown = useMemo(() => groupIssues(shownIssues), [shownIssues]);
  const messagesAt = useCallback(
    (...path: (string | number)[]): string[] | undefined => {
      const list = shown.get(pathKey(path));
      const fromServer =
        serverError?.code === 'identifier_taken' && path.length === 1 && path[0] === 'identifier'
          ? [t.t('editor.identifierTaken')]
          : [];
      const messages = [...(list?.map((i) => t.issue(i)) ?? []), ...fromServer];
      return messages.length > 0 ? messages : undefined;
    },
    [shown, serverError, t],
  );

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

  const unsaved = useUnsavedChangesGuard(dirty);
  const [hasTitle, setHasTitle] = useState(false);
  const registerTitle = useCallback(() => {
    setHasTitle(true);
    return () => setHasTitle(false);
  }, []);

  // Messages a blur brings must not move a control under a pressed pointer (the click would land
  // elsewhere): while a pointer is down, a blur's messages wait until its click has happened.
  const pointerDown = useRef(false);
  const deferredBlurs = useRef<EventTarget[]>([]);
  const markInteractedRef = useRef<(target: EventTarget) => void>(() => {});
  useEffect(() => {
    const down = () => {
      pointerDown.current = true;
    };
    const up = () => {
      pointerDown.current = false;
      // After the click that follows this pointerup (same task), not before it.
      setTimeout(() => {
        const targets = deferredBlurs.current;
        deferredBlurs.current = [];
        for (const target of targets) markInteractedRef.current(target);
      }, 0);
    };
    document.addEventListener('pointerdown', down, true);
    document.addEventListener('pointerup', up, true);
    document.addEventListener('pointercancel', up, true);
    return () => {
      document.removeEventListener('pointerdown', down, true);
      document.removeEventListener('pointerup', up, true);
      document.removeEventListener('pointercancel', up, true);
    };
  }, []);
  const onFieldBlur = (target: EventTarget) => {
    if (pointerDown.current) deferredBlurs.current.push(target);
    else markTouched(target);
  };
  // A blur only marks its field touched (shows its messages); edits also clear the last save's
  // outcome. (A blur flushed after a Save click must not hide the "Saved." it just announced.)
  const markTouched = (target: EventTarget) => {
    if (!(target instanceof HTMLElement)) return;
    const key = target.dataset.field;
    if (key) setInteracted((set) => (set.has(key) ? set : new Set(set).add(key)));
  };

  const titleFocused = useRef(false);
  useEffect(() => {
    if (!autoFocus || titleFocused.current) return;
    titleFocused.current = true;
    document.getElementById(`${idPrefix}-title`)?.focus();
  }, [autoFocus, idPrefix]);

  const markInteracted = (target: EventTarget) => {
    if (!(target instanceof HTMLElement)) return;
    const key = target.dataset.field;
    if (key) setInteracted((set) => (set.has(key) ? set : new Set(set).add(key)));
    if (serverError && serverError.code !== 'version_conflict') setServerError(null);
    if (savedNotice) setSavedNotice(false);
  };
  markInteractedRef.current = markTouched;

  const focusPath = useCallback(
    (path: readonly (string | number)[]) => {
      for (let n = path.length; n > 0; n -= 1) {
        const element = document.getElementById(fieldId(path.slice(0, n)));
        if (element) {
          element.focus();
          return;
        }
      }
    },
    [fieldId],
  );

  const dropConfirmed = useRef(false);
  const submit = form.handleSubmit(
    async (values) => {
      setServerError(null);
      if (!onSubmit) return;
      const def = toDefinition(values);
      // Dropping the stored credential is the costliest mistake here: it is confirmed first.
      const reason = credential ? credentialDropReason(baseline, def) : null;
      // (Not when the owner typed the new credential: that replaces it, as they meant.)
      if (reason && !dropConfirmed.current && secret.current === '') {
        setConfirmDrop(true);
        return;
      }
      dropConfirmed.current = false;
      try {
        await onSubmit(def, { secret: secret.current === '' ? null : secret.current });
        secret.current = '';
        setSecretEntered(false);
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
      // The first problem in the definition's order is focused (validated now: the derived
      // definition may be a keystroke behind).
      const first = validateDraft(toDefinition(form.getValues()));
      const path = first.ok ? undefined : first.errors[0]?.path;
      requestAnimationFrame(() => (path ? focusPath(path) : summaryRef.current?.focus()));
    },
  );
  const submitRef = useRef(submit);
  submitRef.current = submit;
  // A save while one runs is ignored (the button stays focusable, aria-disabled, so focus stays on it).
  const save = useCallback(
    () => (form.formState.isSubmitting ? Promise.resolve() : submitRef.current()),
    [form],
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

  const importCurl = (imported: CurlImportResult) => {
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
  };

  const [sections, setSections] = useState<readonly EditorSectionEntry[]>([]);
  const registerSection = useCallback((entry: EditorSectionEntry) => {
    setSections((list) => [...list.filter((e) => e.key !== entry.key), entry].sort(documentOrder));
    return () => setSections((list) => list.filter((e) => e.key !== entry.key));
  }, []);

  const saveState: EditorSaveState = formState.isSubmitting
    ? 'saving'
    : serverError || (submitAttempted && !validation.ok)
      ? 'failed'
      : dirty
        ? 'unsaved'
        : savedNotice
          ? 'saved'
          : 'clean';

  const runTest = onTest
    ? (input: TestActionInput) =>
        onTest({ ...input, action: toDefinition(structuredClone(form.getValues())) })
    : undefined;

  const context: ActionEditorContextValue = {
    form,
    fieldId,
    idPrefix,
    definition,
    validation,
    messagesAt,
    shownIssues,
    usage,
    suggestions,
    credential,
    dropReason,
    dropNoticeId: `${idPrefix}-credential-drop`,
    setSecret: (s) => {
      secret.current = s;
      setSecretEntered(s !== '');
    },
    secretEntered,
    identitySetUp,
    removeStoredCredential,
    runTest,
    storedIdentifier,
    dirty,
    saveState,
    serverError,
    submitAttempted,
    reload: onReload ? async () => void (await onReload()) : undefined,
    focusPath,
    summaryRef,
    requestCancel: onCancel
      ? () =>
          unsaved.guard(() => {
            form.reset();
            onCancel();
          })
      : undefined,
    importCurl: allowCurlImport ? importCurl : undefined,
    save,
    sections,
    registerSection,
    titleId: `${idPrefix}-title`,
    registerTitle,
  };

  return (
    <ActionEditorContext.Provider value={context}>
      <form
        {...rootProps}
        data-slot="action-editor"
        data-state={dirty ? 'dirty' : 'clean'}
        noValidate
        aria-labelledby={hasTitle ? `${idPrefix}-title` : undefined}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        onInput={(e) => markInteracted(e.target)}
        onBlur={(e) => onFieldBlur(e.target)}
        onChange={(e) => markInteracted(e.target)}
      >
        {children}
      </form>
      {unsaved.dialog}
      <ConfirmDialog
        open={confirmDrop}
        onOpenChange={setConfirmDrop}
        title={t.t('editor.credentialDrop.confirm.title')}
        body={
          dropReason && credential
            ? t.t(
                CREDENTIAL_DROP_KEYS[
                  dropReason === 'auth_type' && definition.auth.type === 'none' ? 'auth_none' : dropReason
                ],
                {
                  last4: credential.last4,
                },
              )
            : ''
        }
        confirmLabel={t.t('editor.credentialDrop.confirm.save')}
        cancelLabel={t.t('editor.discard.keep')}
        destructive
        onConfirm={() => {
          setConfirmDrop(false);
          dropConfirmed.current = true;
          void submitRef.current();
        }}
      />
    </ActionEditorContext.Provider>
  );
}
