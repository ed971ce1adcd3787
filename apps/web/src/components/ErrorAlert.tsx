import type { CSSProperties } from 'react';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError, type FieldProblem } from '../api/client.ts';
import { fieldMessage, problemDetail, problemTitle } from './errors.ts';

/** A readable problem+json: translated title by `code`, the server's detail, any field problems. */
export function ErrorAlert({
  error,
  onRetry,
  fields,
  style,
}: {
  error: unknown;
  onRetry?: () => void;
  fields?: FieldProblem[];
  style?: CSSProperties;
}) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const list = fields ?? (isApiError(error) ? error.fields : []);
  const detail = problemDetail(t, error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16, ...style }}
      message={problemTitle(t, error)}
      description={
        <>
          {detail && <div>{detail}</div>}
          {list.length > 0 && (
            <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
              {list.map((f, i) => (
                <li key={i}>
                  {f.path !== '(root)' && <code>{f.path}</code>} {fieldMessage(t, i18n.language, f)}
                </li>
              ))}
            </ul>
          )}
          {isApiError(error) && error.problem.requestId ? (
            <div style={{ opacity: 0.6, fontSize: 12 }}>{t('problem.requestId', { id: String(error.problem.requestId) })}</div>
          ) : null}
        </>
      }
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
