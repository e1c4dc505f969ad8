import { LIMITS, METHODS_WITH_BODY } from '@aihio/actions-core';
import { Controller, useFieldArray } from 'react-hook-form';
import { useTranslator } from '../../provider';
import { describedBy, FieldMessages } from '../field';
import { TemplateInput } from '../TemplateInput';
import { useActionEditor } from './context';
import { EditorSection } from './EditorSection';

/** The request's headers and body (the body only for a method that has one). */
export function EditorRequest() {
  const { form, fieldId, messagesAt, suggestions, definition } = useActionEditor('ActionEditor.Request');
  const t = useTranslator();
  const { control, register } = form;
  const headers = useFieldArray({ control, name: 'headers' });
  const showBody = METHODS_WITH_BODY.includes(definition.method) || definition.body !== null;
  const bodyId = fieldId(['body']);
  const bodyErrors = messagesAt('body');
  return (
    <EditorSection
      sectionKey="request"
      title={t.t('editor.section.request')}
      paths={['headers', 'body']}
      part="ActionEditor.Request"
    >
      <fieldset className="aihio-fieldset" data-slot="headers">
        <legend className="aihio-label">{t.t('editor.headers')}</legend>
        {headers.fields.length === 0 ? <p className="aihio-muted">{t.t('editor.headers.empty')}</p> : null}
        {headers.fields.map((header, index) => {
          const nameId = fieldId(['headers', index, 'name']);
          const valueId = fieldId(['headers', index, 'value']);
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
        <div className="aihio-field" data-slot="field" data-invalid={bodyErrors ? true : undefined}>
          <label className="aihio-label" htmlFor={bodyId}>
            {t.t('editor.body')}
          </label>
          <Controller
            control={control}
            name="body"
            render={({ field }) => (
              <TemplateInput
                id={bodyId}
                multiline
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                inputRef={field.ref}
                suggestions={suggestions}
                data-field="body"
                aria-invalid={bodyErrors ? true : undefined}
                aria-describedby={describedBy(bodyId, true, Boolean(bodyErrors))}
              />
            )}
          />
          <FieldMessages id={bodyId} help={t.t('editor.body.help')} errors={bodyErrors} />
        </div>
      ) : (
        <p className="aihio-muted" data-slot="body-not-allowed">
          {t.t('editor.body.notAllowed', { method: definition.method })}
        </p>
      )}
    </EditorSection>
  );
}
