import { QueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import type { Messages } from '../i18n/en';
import type { Locale } from '../i18n/translate';
import { ActionsProvider, type Theme } from '../provider';
import { createFakeBff, type FakeBff } from './fake-bff';

export interface KitFixtureProps {
  bff?: FakeBff;
  locale?: Locale;
  theme?: Theme;
  messages?: Partial<Messages>;
  children?: ReactNode;
}

/** The provider as a host would set it up, over the in-memory fake BFF. No retries: tests see errors at once. */
export function KitFixture({ bff, locale, theme = 'light', messages, children }: KitFixtureProps) {
  const [fake] = useState(() => bff ?? createFakeBff());
  const [queryClient] = useState(
    () =>
      new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } } }),
  );
  return (
    <ActionsProvider
      baseUrl=""
      fetch={fake.fetch}
      queryClient={queryClient}
      locale={locale}
      theme={theme}
      messages={messages}
    >
      {children}
    </ActionsProvider>
  );
}
