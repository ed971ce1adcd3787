import { Button } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/index.ts';
import { useApiPaths } from '../../layout/useApiPaths.ts';

/** Opens the document's PDF (in the UI's language) when the server offers one for this type. */
export function PdfButton({ type, id }: { type: string; id: string }) {
  const { t } = useTranslation();
  const paths = useApiPaths();
  if (!paths.data?.has(`/api/v1/${type}/{id}/pdf`)) return null;
  return (
    <Button icon={<FilePdfOutlined />} href={`/api/v1/${type}/${id}/pdf?lang=${currentLanguage()}`} target="_blank" rel="noopener">
      {t('documents.pdf')}
    </Button>
  );
}
