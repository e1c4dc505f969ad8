import type {
  ActionDefinition,
  CredentialDropReason,
  CredentialSummary,
  Issue,
  TestResult,
  ValidateResult,
} from '@aihio/actions-core';
import { createContext, type RefObject, useContext } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import type { ActionsApiError, TestActionInput } from '../../client';
import type { TemplateUsage } from '../../lib/usage';
import type { CurlImportResult } from '../CurlImportDialog';
import type { TemplateSuggestion } from '../TemplateInput';
import type { ActionFormValues } from './form-model';

/** Where the save stands, for the action bar: `clean` until an edit, `saved` after a save until the next edit. */
export type EditorSaveState = 'clean' | 'unsaved' | 'saving' | 'saved' | 'failed';

/** A section a part rendered, for the section navigation (in document order). */
export interface EditorSectionEntry {
  key: string;
  title: string;
  /** The DOM id of the section's heading (focusable). */
  headingId: string;
  /** Whether the section has problems the owner can see now. */
  invalid: boolean;
}

/**
 * What `ActionEditor.Root` shares with its parts. A part of your own reads it with
 * `useActionEditor('MyPart')`: register inputs on `form`, show `messagesAt(path)` under them, and
 * take DOM ids from `fieldId(path)` so the error summary can focus them.
 */
export interface ActionEditorContextValue {
  /** The one react-hook-form instance; its values are the definition (body as a string). */
  form: UseFormReturn<ActionFormValues>;
  /** The DOM id of the field at `path` (e.g. `['parameters', 0, 'name']`). */
  fieldId: (path: readonly (string | number)[]) => string;
  /** A unique id prefix for ids of your own. */
  idPrefix: string;
  /** The form as a definition (updated after each change, off the keystroke's critical path). */
  definition: ActionDefinition;
  /** Core's `validateAction` of `definition`. */
  validation: ValidateResult;
  /** The error messages to show at `path` now, in the owner's language (undefined when none). */
  messagesAt: (...path: (string | number)[]) => string[] | undefined;
  /** Every issue the owner can see now (client and server), e.g. to mark a section invalid. */
  shownIssues: readonly Issue[];
  /** Where each placeholder is used, and the identity fields the request sends. */
  usage: TemplateUsage;
  /** `{{…}}` autocompletion: the parameters and identity fields. */
  suggestions: readonly TemplateSuggestion[];
  /** The stored credential's summary, or null. */
  credential: CredentialSummary | null;
  /** Why saving now would drop the stored credential, or null. */
  dropReason: CredentialDropReason | null;
  /** The DOM id of the credential-drop notice, for aria-describedby. */
  dropNoticeId: string;
  /** The credential the owner typed for saving (write-only, never kept in the form's values). */
  setSecret: (secret: string) => void;
  /** Whether the owner has typed a credential to save (never the secret itself). */
  secretEntered: boolean;
  /** Whether the chatbot can verify visitors (the host says; undefined when unknown). */
  identitySetUp: boolean | undefined;
  removeStoredCredential: (() => Promise<void>) | undefined;
  /** Runs a test of the current draft; undefined when the host gave no runner. */
  runTest: ((input: TestActionInput) => Promise<TestResult>) | undefined;
  /** The identifier as stored (editing), or undefined (a new action). */
  storedIdentifier: string | undefined;
  dirty: boolean;
  saveState: EditorSaveState;
  serverError: ActionsApiError | null;
  submitAttempted: boolean;
  /** Reloads the latest stored version (after a version conflict); connected mode only. */
  reload: (() => Promise<void>) | undefined;
  /** Focuses the field at `path` (or its nearest ancestor with an id). */
  focusPath: (path: readonly (string | number)[]) => void;
  summaryRef: RefObject<HTMLDivElement | null>;
  /** Asks to leave (the host's `onCancel`), through the unsaved-changes guard; undefined without `onCancel`. */
  requestCancel: (() => void) | undefined;
  /** Applies a curl import to the form; undefined when the host turned curl import off. */
  importCurl: ((result: CurlImportResult) => void) | undefined;
  /** Saves (validates first, focuses the first problem when invalid). */
  save: () => Promise<void>;
  /** Sections rendered, in document order, for the navigation. */
  sections: readonly EditorSectionEntry[];
  registerSection: (entry: EditorSectionEntry) => () => void;
  /** The id of the editor's title (the form is labelled by it when a part renders it). */
  titleId: string;
  registerTitle: () => () => void;
}

export const ActionEditorContext = createContext<ActionEditorContextValue | null>(null);

/**
 * The editor's shared state, for a part. Throws, naming the part and the root, when used outside
 * `ActionEditor.Root` (as a Radix part does outside its root).
 */
export function useActionEditor(part: string): ActionEditorContextValue {
  const context = useContext(ActionEditorContext);
  if (!context) throw new Error(`\`${part}\` must be used within \`ActionEditor.Root\`.`);
  return context;
}
