import '@aihio/actions-ui/styles.css';
import './theme.css';
import { ActionsProvider } from '@aihio/actions-ui';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useLayoutEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { devHeaders, useTheme } from './preferences';

// One QueryClient for the host and the kit: the kit's queries share the host's cache and defaults.
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

/** The kit's provider, following the viewer's theme (the kit's own dark tokens in dark). */
function Kit() {
  const [theme] = useTheme();
  // The page itself follows too (theme.css resolves `system` with a media query).
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    // The BFF is proxied on this origin (vite.config.ts): '' is the page's own origin.
    <ActionsProvider baseUrl="" queryClient={queryClient} locale="en" theme={theme} getHeaders={devHeaders}>
      <App />
    </ActionsProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Kit />
    </QueryClientProvider>
  </StrictMode>,
);
