import { useEffect, useState } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import { THEME_TOKENS } from './theme.ts';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { useTranslation } from 'react-i18next';
import { isApiError } from './api/client.ts';
import { AuthProvider } from './auth/auth.tsx';
import { normalizeLanguage } from './i18n/index.ts';
import { router } from './routes.tsx';

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        // A problem the server stated (4xx) will not go away by asking again.
        retry: (count, e) => count < 2 && !(isApiError(e) && e.status >= 400 && e.status < 500),
      },
    },
  });
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const { i18n } = useTranslation();
  const lang = normalizeLanguage(i18n.resolvedLanguage ?? i18n.language);
  useEffect(() => {
    dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  }, [lang]);
  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zhCN : enUS} button={{ autoInsertSpace: false }} theme={{ token: THEME_TOKENS }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <RouterProvider router={router} />
          </AuthProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
