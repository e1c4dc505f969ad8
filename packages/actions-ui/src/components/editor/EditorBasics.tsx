import { HTTP_METHODS } from '@aihio/actions-core';
import { Controller } from 'react-hook-form';
import { useTranslator } from '../../provider';
import { describedBy, FieldMessages } from '../field';
import { TemplateInput } from '../TemplateInput';
import { useActionEditor } from './context';
import { EditorSection } from './EditorSection';

/** Identifier, description, HTTP method and URL. */
export function EditorBasics() {
  const { form, fieldId, messagesAt, suggestions, dropReason, dropNoticeId } =
    useActionEditor('ActionEditor.Basics');
  const t = useTranslator();
  const { register, control } = form;
  const identifierId = fieldId(['identifier']);
  const identifierErrors = messagesAt('identifier');
  const descriptionId = fieldId(['description']);
  const descriptionErrors = messagesAt('description');
  const methodId = fieldId(['method']);
  const methodErrors = messagesAt('method');
  const urlId = fieldId(['url']);
  const urlErrors = messagesAt('url');
  return (
    <EditorSection
      sectionKey="basics"
      title={t.t('editor.section.basics')}
      paths={['identifier', 'description', 'method', 'url']}
      part="ActionEditor.Basics"
    >
      <div className="aihio-field" data-slot="field" data-invalid={identifierErrors ? true : undefined}>
        <label className="aihio-label" htmlFor={identifierId}>
          {t.t('editor.identifier')}
        </label>
        <input
          id={identifierId}
          className="aihio-input aihio-mono"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={identifierErrors ? true : undefined}
          aria-describedby={describedBy(identifierId, true, Boolean(identifierErrors))}
          data-field="identifier"
          {...register('identifier')}
        />
        <FieldMessages id={identifierId} help={t.t('editor.identifier.help')} errors={identifierErrors} />
      </div>
      <div className="aihio-field" data-slot="field" data-invalid={descriptionErrors ? true : undefined}>
        <label className="aihio-label" htmlFor={descriptionId}>
          {t.t('editor.description')}
        </label>
        <textarea
          id={descriptionId}
          className="aihio-input"
          rows={3}
          aria-invalid={descriptionErrors ? true : undefined}
          aria-describedby={describedBy(descriptionId, true, Boolean(descriptionErrors))}
          data-field="description"
          {...register('description')}
        />
        <FieldMessages id={descriptionId} help={t.t('editor.description.help')} errors={descriptionErrors} />
      </div>
      <div className="aihio-grid-method-url">
        <div className="aihio-field" data-slot="field">
          <label className="aihio-label" htmlFor={methodId}>
            {t.t('editor.method')}
          </label>
          <select
            id={methodId}
            className="aihio-select"
            data-field="method"
            aria-invalid={methodErrors ? true : undefined}
            aria-describedby={describedBy(methodId, false, Boolean(methodErrors))}
            {...register('method')}
          >
            {HTTP_METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <FieldMessages id={methodId} errors={methodErrors} />
        </div>
        <div className="aihio-field" data-slot="field" data-invalid={urlErrors ? true : undefined}>
          <label className="aihio-label" htmlFor={urlId}>
            {t.t('editor.url')}
          </label>
          <Controller
            control={control}
            name="url"
            render={({ field }) => (
              <TemplateInput
                id={urlId}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                inputRef={field.ref}
                suggestions={suggestions}
                data-field="url"
                aria-invalid={urlErrors ? true : undefined}
                aria-describedby={[
                  describedBy(urlId, true, Boolean(urlErrors)),
                  dropReason === 'origin' ? dropNoticeId : null,
                ]
                  .filter(Boolean)
                  .join(' ')}
              />
            )}
          />
          <FieldMessages id={urlId} help={t.t('editor.url.help')} errors={urlErrors} />
        </div>
      </div>
    </EditorSection>
  );
}
