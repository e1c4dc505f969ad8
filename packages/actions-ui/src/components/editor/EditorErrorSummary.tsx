import { pathKey } from '../../lib/usage';
import { useTranslator } from '../../provider';
import { useActionEditor } from './context';

/** After a refused save: the server's error (with Reload on a version conflict) and every problem, each a link to its field. */
export function EditorErrorSummary() {
  const { serverError, submitAttempted, validation, summaryRef, reload, focusPath } =
    useActionEditor('ActionEditor.ErrorSummary');
  const t = useTranslator();
  const summaryIssues = submitAttempted
    ? [...(validation.ok ? [] : validation.errors), ...(serverError?.issues ?? [])]
    : [];
  if (!serverError && summaryIssues.length === 0) return null;
  return (
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
          {reload ? (
            <button
              type="button"
              className="aihio-button"
              data-variant="secondary"
              onClick={() => void reload()}
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
  );
}
