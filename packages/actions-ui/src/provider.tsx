import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import {
  type ActionsClient,
  type ActionsClientOptions,
  createActionsClient,
  type FetchLike,
  isActionsApiError,
} from './client';
import { Toaster } from './components/ui/toast';
import type { Messages } from './i18n/en';
import { createTranslator, type Locale, type Translator } from './i18n/translate';

export type Theme = 'light' | 'dark' | 'system';

interface KitContextValue {
  client: ActionsClient | null;
  translator: Translator;
  theme: Theme;
}

const defaultKit: KitContextValue = { client: null, translator: createTranslator('en'), theme: 'system' };

const KitContext = createContext<KitContextValue>(defaultKit);

export interface ActionsProviderProps {
  /** Where the BFF is; `''` for the same origin. */
  baseUrl: string;
  /** The host's fetch (session refresh, test doubles); defaults to the global fetch. */
  fetch?: FetchLike;
  /** Headers for each request, e.g. the host session's bearer token. */
  getHeaders?: ActionsClientOptions['getHeaders'];
  credentials?: RequestCredentials;
  /** The host's QueryClient, to share its cache; the kit makes its own when omitted. */
  queryClient?: QueryClient;
  locale?: Locale;
  /** Replace any catalog string, e.g. `{ 'list.add': 'New action' }`. */
  messages?: Partial<Messages>;
  /** `system` follows the visitor's colour scheme. */
  theme?: Theme;
  children?: ReactNode;
}

export function ActionsProvider({
  baseUrl,
  fetch,
  getHeaders,
  credentials,
  queryClient,
  locale = 'en',
  messages,
  theme = 'system',
  children,
}: ActionsProviderProps) {
  const [ownQueryClient] = useState(
    () =>
      queryClient ??
      new QueryClient({
        defaultOptions: {
          queries: {
            // A plan, auth or not-found answer will not change by asking again.
            retry: (count, error) =>
              count < 1 && !(isActionsApiError(error) && error.status >= 400 && error.status < 500),
            staleTime: 10_000,
          },
        },
      }),
  );
  const client = useMemo(
    () => createActionsClient({ baseUrl, fetch, getHeaders, credentials }),
    [baseUrl, fetch, getHeaders, credentials],
  );
  const translator = useMemo(() => createTranslator(locale, messages), [locale, messages]);
  const value = useMemo(() => ({ client, translator, theme }), [client, translator, theme]);
  return (
    <QueryClientProvider client={queryClient ?? ownQueryClient}>
      <KitContext.Provider value={value}>
        {/* Kit components announce saves and failures as toasts (`useToast`); so can the host. */}
        <Toaster>{children}</Toaster>
      </KitContext.Provider>
    </QueryClientProvider>
  );
}

/** Strings and theme; components work without a provider (English, system theme). */
export function useKit(): KitContextValue {
  return useContext(KitContext);
}

export function useTranslator(): Translator {
  return useContext(KitContext).translator;
}

export function useActionsClient(consumer = 'This hook'): ActionsClient {
  const { client } = useContext(KitContext);
  if (!client) throw new Error(`\`${consumer}\` must be used within \`ActionsProvider\`.`);
  return client;
}

/** Props every kit root element carries: the scoping class of styles.css and the theme. */
export function useRootProps(extraClass?: string): { className: string; 'data-theme': Theme } {
  const { theme } = useContext(KitContext);
  return { className: extraClass ? `aihio-root ${extraClass}` : 'aihio-root', 'data-theme': theme };
}
