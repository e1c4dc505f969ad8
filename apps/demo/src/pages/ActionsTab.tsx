import {
  ActionEditor,
  ActionList,
  OpenApiImportDialog,
  RunHistory,
  useUnsavedChangesGuard,
} from '@aihio/actions-ui';
import { useEffect, useState } from 'react';
import { navigate, type Route, setLeaveGuard } from '../router';

type ChatbotRoute = Extract<Route, { chatbotId: string }>;

/** The kit embedded as a product team would: the list, and the editor on its own URL. */
export function ActionsTab({ route }: { route: ChatbotRoute }) {
  const { chatbotId } = route;
  if (route.name === 'newAction' || route.name === 'editAction') {
    const actionId = route.name === 'editAction' ? route.actionId : undefined;
    // No key per action: after the first save the editor moves from the new URL to the action's
    // own, and keeps its state (the test result, the "Saved." notice) across that move.
    return <EditorPage chatbotId={chatbotId} actionId={actionId} />;
  }
  return <ActionListPage chatbotId={chatbotId} />;
}

/** The sandbox describes itself (apps/demo/sandbox/server.ts): importing it makes working actions. */
const SANDBOX_OPENAPI_URL = 'https://sandbox.aihio.test/openapi.yaml';

function ActionListPage({ chatbotId }: { chatbotId: string }) {
  const [importing, setImporting] = useState(false);
  return (
    <section className="card kit-host">
      <div className="import-row">
        <button type="button" className="import-button" onClick={() => setImporting(true)}>
          Import from OpenAPI
        </button>
      </div>
      <ActionList
        chatbotId={chatbotId}
        onAdd={() => navigate({ name: 'newAction', chatbotId })}
        onEdit={(action) => navigate({ name: 'editAction', chatbotId, actionId: action.id })}
        upgradeUrl="/billing"
      />
      <OpenApiImportDialog
        open={importing}
        onOpenChange={setImporting}
        chatbotId={chatbotId}
        defaultUrl={SANDBOX_OPENAPI_URL}
      />
    </section>
  );
}

function EditorPage({ chatbotId, actionId }: { chatbotId: string; actionId: string | undefined }) {
  // The leave guard belongs to the editor on screen: unmounting it drops the guard.
  const [dirty, setDirty] = useState(false);
  const unsaved = useUnsavedChangesGuard(dirty);
  useEffect(() => {
    setLeaveGuard(dirty ? unsaved.guard : null);
    return () => setLeaveGuard(null);
  }, [dirty, unsaved.guard]);
  return (
    <div className="action-page">
      <section className="card kit-host">
        <ActionEditor
          chatbotId={chatbotId}
          actionId={actionId}
          onSaved={(action) =>
            navigate({ name: 'editAction', chatbotId, actionId: action.id }, { replace: true, force: true })
          }
          onCancel={() => navigate({ name: 'actions', chatbotId }, { force: true })}
          onDirtyChange={setDirty}
          // Opened from "Add action" or a row's Edit: focus starts on its title, not on <body>.
          autoFocus
        />
        {unsaved.dialog}
      </section>
      {/* What the action did: its tests and the agent's calls, refreshed after each test run. */}
      {actionId !== undefined ? (
        <section className="card kit-host">
          <RunHistory chatbotId={chatbotId} actionId={actionId} headingLevel={2} />
        </section>
      ) : null}
    </div>
  );
}
