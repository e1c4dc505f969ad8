import type { IdentityField } from '@aihio/actions-core';
import { useState } from 'react';
import { useRootProps, useTranslator } from '../provider';
import { KitDialog } from './dialog';

export interface GdprNoticeProps {
  /** The `{{identity.*}}` fields the action sends; nothing renders when empty. */
  identityFields: readonly IdentityField[];
  /** Whether "Require verified identity" is on; when off the notice is an error with a fix. */
  requireVerifiedIdentity: boolean;
  /** The one-click fix: turn on "Require verified identity". */
  onRequireVerifiedIdentity?: () => void;
  /** Id of the notice, for an input's aria-describedby. */
  id?: string;
  className?: string;
}

/**
 * The reminder that an action sending `{{identity.*}}` passes personal data to the owner's
 * system: GDPR, why only signed-JWT identity fills the fields, and a one-click fix when
 * "Require verified identity" is off.
 */
export function GdprNotice({
  identityFields,
  requireVerifiedIdentity,
  onRequireVerifiedIdentity,
  id,
  className,
}: GdprNoticeProps) {
  const t = useTranslator();
  const rootProps = useRootProps(className ? `aihio-notice ${className}` : 'aihio-notice');
  const [learnMore, setLearnMore] = useState(false);
  if (identityFields.length === 0) return null;
  const state = requireVerifiedIdentity ? 'ok' : 'error';
  return (
    <section
      {...rootProps}
      id={id}
      data-slot="gdpr-notice"
      data-state={state}
      aria-labelledby={id ? `${id}-title` : undefined}
    >
      <h4 className="aihio-notice-title" id={id ? `${id}-title` : undefined}>
        {t.t('gdpr.title')}
      </h4>
      <p>{t.t('gdpr.body', { fields: identityFields.map((f) => `identity.${f}`).join(', ') })}</p>
      <p>{t.t('gdpr.jwtOnly')}</p>
      {requireVerifiedIdentity ? null : (
        <div className="aihio-error" role="alert" data-slot="gdpr-fix">
          <p>{t.t('gdpr.requireMissing')}</p>
          {onRequireVerifiedIdentity ? (
            <button
              type="button"
              className="aihio-button"
              data-variant="primary"
              onClick={onRequireVerifiedIdentity}
            >
              {t.t('gdpr.fix')}
            </button>
          ) : null}
        </div>
      )}
      <button type="button" className="aihio-link-button" onClick={() => setLearnMore(true)}>
        {t.t('common.learnMore')}
      </button>
      <KitDialog open={learnMore} onOpenChange={setLearnMore} title={t.t('gdpr.learnMore.title')}>
        <div className="aihio-dialog-body">
          <p>{t.t('gdpr.learnMore.body1')}</p>
          <p>{t.t('gdpr.learnMore.body2')}</p>
          <p>{t.t('gdpr.learnMore.body3')}</p>
        </div>
      </KitDialog>
    </section>
  );
}
