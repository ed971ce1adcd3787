import type { ReactNode } from 'react';
import { Breadcrumb, Flex, Space, Typography } from 'antd';
import { Link } from 'react-router';

export interface Crumb {
  label: string;
  to?: string;
}

/** Title row of a page: breadcrumbs, title, tags and the page's buttons. */
export function PageHeader({ title, crumbs, tags, extra }: { title: ReactNode; crumbs?: Crumb[]; tags?: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ marginBottom: 16 }}>
      {crumbs && crumbs.length > 0 && (
        <Breadcrumb
          style={{ marginBottom: 8 }}
          items={crumbs.map((c) => ({ title: c.to ? <Link to={c.to}>{c.label}</Link> : c.label }))}
        />
      )}
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Space align="center" wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {tags}
        </Space>
        {extra && <Space wrap>{extra}</Space>}
      </Flex>
    </div>
  );
}
