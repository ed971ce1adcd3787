import { Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/auth.tsx';
import { LeadStatusCard } from './LeadStatusCard.tsx';
import { MyOpportunities } from './MyOpportunities.tsx';
import { PipelineChart } from './PipelineChart.tsx';
import { KpiPanel } from './KpiPanel.tsx';
import { useApiPaths } from '../../layout/useApiPaths.ts';
import { MyTasks } from '../activities/MyTasks.tsx';
import { MyPipeline } from '../activities/MyPipeline.tsx';

export function HomePage() {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  const opp = can('opportunity');
  const leads = can('lead');
  const paths = useApiPaths();
  const kpis = (opp || leads || can('invoice')) && !!paths.data?.has('/api/v1/analytics/kpis');
  const tasks = (opp || leads || can('account')) && !!paths.data?.has('/api/v1/activities');
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('home.welcome', { name: me?.user.name ?? '' })}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {tasks && (
          <Col xs={24} xl={14}>
            <MyTasks />
          </Col>
        )}
        {tasks && opp && (
          <Col xs={24} xl={10}>
            <MyPipeline />
          </Col>
        )}
        {kpis && (
          <Col span={24}>
            <KpiPanel />
          </Col>
        )}
        {opp && (
          <Col xs={24} xl={14}>
            <PipelineChart />
          </Col>
        )}
        {leads && (
          <Col xs={24} xl={10}>
            <LeadStatusCard />
          </Col>
        )}
        {opp && (
          <Col span={24}>
            <MyOpportunities />
          </Col>
        )}
        {!opp && !leads && (
          <Col span={24}>
            <Typography.Paragraph type="secondary">{t('home.nothing')}</Typography.Paragraph>
          </Col>
        )}
      </Row>
    </>
  );
}
