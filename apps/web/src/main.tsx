import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import './i18n/index.ts';
import './styles.css';
import { ApiError } from './api/client.ts';
import { SessionProvider } from './auth/session.tsx';
import { AntdProvider } from './components/AntdProvider.tsx';
import App from './App.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A 4xx answer will not change by asking again; a network hiccup might.
      retry: (count, error) => count < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AntdProvider>
          <SessionProvider>
            <App />
          </SessionProvider>
        </AntdProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
