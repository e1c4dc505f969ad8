import { useLayoutEffect, useState } from 'react';
import { useTranslator } from '../../provider';
import { CurlImportDialog } from '../CurlImportDialog';
import { useActionEditor } from './context';

/** The editor's title ("New action" / "Edit lookup_order") and "Import from curl". */
export function EditorHeader({ className }: { className?: string }) {
  const { titleId, registerTitle, storedIdentifier, importCurl } = useActionEditor('ActionEditor.Header');
  const t = useTranslator();
  const [curlOpen, setCurlOpen] = useState(false);
  useLayoutEffect(() => registerTitle(), [registerTitle]);
  return (
    <header
      className={className ? `aihio-editor-header ${className}` : 'aihio-editor-header'}
      data-slot="editor-header"
    >
      <h2 className="aihio-title" id={titleId} tabIndex={-1}>
        {storedIdentifier !== undefined
          ? t.t('editor.titleEdit', { identifier: storedIdentifier })
          : t.t('editor.titleNew')}
      </h2>
      {importCurl ? (
        <>
          <button
            type="button"
            className="aihio-button"
            data-variant="secondary"
            onClick={() => setCurlOpen(true)}
          >
            {t.t('editor.importCurl')}
          </button>
          <CurlImportDialog open={curlOpen} onOpenChange={setCurlOpen} onImport={importCurl} />
        </>
      ) : null}
    </header>
  );
}
