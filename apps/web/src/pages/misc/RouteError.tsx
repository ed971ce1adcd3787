import { Button, Result } from 'antd';
import { useRouteError } from 'react-router';
import { useTranslation } from 'react-i18next';

/** Shown when a page throws while rendering: what happened, and a way back. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  return (
    <Result
      status="error"
      title={t('problem.unknown')}
      subTitle={error instanceof Error ? error.message : String(error ?? '')}
      extra={
        <Button type="primary" onClick={() => window.location.assign('/')}>
          {t('notFound.home')}
        </Button>
      }
    />
  );
}
