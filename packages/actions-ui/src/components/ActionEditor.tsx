import type { ActionEditorContextValue, EditorSaveState, EditorSectionEntry } from './editor/context';
import { useActionEditor } from './editor/context';
import { EditorActionBar } from './editor/EditorActionBar';
import { EditorAuthentication } from './editor/EditorAuthentication';
import { EditorBasics } from './editor/EditorBasics';
import { EditorErrorSummary } from './editor/EditorErrorSummary';
import { EditorHeader } from './editor/EditorHeader';
import { EditorIdentity } from './editor/EditorIdentity';
import { EditorNav } from './editor/EditorNav';
import { EditorParameters } from './editor/EditorParameters';
import { EditorRequest } from './editor/EditorRequest';
import {
  ActionEditorRoot,
  type ActionEditorRootProps,
  type ActionEditorSaveContext,
} from './editor/EditorRoot';
import { EditorSection, type EditorSectionProps } from './editor/EditorSection';
import { EditorTest } from './editor/EditorTest';
import { EditorVisitor } from './editor/EditorVisitor';

export type ActionEditorProps = Omit<ActionEditorRootProps, 'children'>;
export type { ActionFormValues } from './editor/form-model';
export { toDefinition } from './editor/form-model';
export type {
  ActionEditorContextValue,
  ActionEditorRootProps,
  ActionEditorSaveContext,
  EditorSaveState,
  EditorSectionEntry,
  EditorSectionProps,
};
export { useActionEditor };

/**
 * The whole editor of an action, following the product's steps: basics, parameters, headers and
 * body, authentication, verified identity, what the visitor sees, test, save. It is only the default arrangement of the
 * parts below; compose `ActionEditor.Root` with the parts you want, in your order, to change it.
 */
function ActionEditorDefault(props: ActionEditorProps) {
  return (
    <ActionEditorRoot {...props}>
      <EditorHeader />
      <EditorNav />
      <div className="aihio-editor-layout" data-slot="editor-layout">
        <div className="aihio-editor-main">
          <EditorErrorSummary />
          <EditorBasics />
          <EditorParameters />
          <EditorRequest />
          <EditorAuthentication />
          <EditorIdentity />
          <EditorVisitor />
        </div>
        <EditorTest className="aihio-editor-aside" />
      </div>
      <EditorActionBar />
    </ActionEditorRoot>
  );
}

export const ActionEditor = Object.assign(ActionEditorDefault, {
  Root: ActionEditorRoot,
  Header: EditorHeader,
  Nav: EditorNav,
  ErrorSummary: EditorErrorSummary,
  Basics: EditorBasics,
  Parameters: EditorParameters,
  Request: EditorRequest,
  Authentication: EditorAuthentication,
  Identity: EditorIdentity,
  Visitor: EditorVisitor,
  Test: EditorTest,
  ActionBar: EditorActionBar,
  Section: EditorSection,
});
