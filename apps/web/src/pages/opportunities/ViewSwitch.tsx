import { Segmented } from 'antd';
import { AppstoreOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';

/** Board ↔ list. */
export function ViewSwitch({ value }: { value: 'board' | 'list' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Segmented
      value={value}
      onChange={(v) => navigate(v === 'board' ? '/opportunities' : '/opportunities/list')}
      options={[
        { value: 'board', icon: <AppstoreOutlined />, label: t('opportunities.board') },
        { value: 'list', icon: <UnorderedListOutlined />, label: t('opportunities.list') },
      ]}
    />
  );
}
