import '@aihio/actions-ui/styles.css';
import './theme.css';
import { ActionsProvider } from '@aihio/actions-ui';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

// One QueryClient for the host and the kit: the kit's queries share the host's cache and defaults.
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      {/* The BFF is proxied on this origin (vite.config.ts): '' is the page's own origin. */}
      <ActionsProvider baseUrl="" queryClient={queryClient} locale="en" theme="light">
        <App />
      </ActionsProvider>
    </QueryClientProvider>
  </StrictMode>,
);
