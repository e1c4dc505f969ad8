import { useEffect, useRef, useState } from 'react';
import { useRootProps, useTranslator } from '../provider';

export interface ActionRunIndicatorProps {
  /** True while the agent is performing an action. */
  active: boolean;
  /** The action's human name, if the widget wants to say which. */
  actionName?: string;
  /** Announce "Action finished." when `active` turns false. */
  announceDone?: boolean;
  className?: string;
}

/**
 * "Performing action…" for the chat widget's visitor, in a polite live region: the region stays
 * mounted so screen readers announce changes to it, and the visual part shows only while active.
 */
export function ActionRunIndicator({
  active,
  actionName,
  announceDone = false,
  className,
}: ActionRunIndicatorProps) {
  const t = useTranslator();
  const rootProps = useRootProps(className ? `aihio-run-indicator ${className}` : 'aihio-run-indicator');
  const wasActive = useRef(active);
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (wasActive.current && !active && announceDone) setDone(true);
    if (active) setDone(false);
    wasActive.current = active;
  }, [active, announceDone]);
  const text = active
    ? actionName
      ? t.t('run.activeNamed', { name: actionName })
      : t.t('run.active')
    : done
      ? t.t('run.done')
      : '';
  return (
    <div
      {...rootProps}
      role="status"
      aria-live="polite"
      data-slot="run-indicator"
      data-state={active ? 'active' : 'idle'}
    >
      {active ? <span className="aihio-spinner" aria-hidden="true" /> : null}
      <span>{text}</span>
    </div>
  );
}
