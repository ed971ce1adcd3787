import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Empty,
  Flex,
  FloatButton,
  Form,
  Grid,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Radio,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import {
  CalendarOutlined,
  CheckSquareOutlined,
  DeleteOutlined,
  FileTextOutlined,
  MailOutlined,
  PhoneOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/auth.tsx';
import { applyFieldErrors, problemMessage } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';
import {
  CALL_OUTCOMES,
  defaultDue,
  PARENT_SEGMENT,
  useActivities,
  useCompleteTask,
  useDeleteActivity,
  useLogActivity,
  useRescheduleTask,
  type Activity,
  type ActivityType,
  type ParentType,
} from './activities.ts';

export const TYPE_ICONS: Record<ActivityType, React.ReactNode> = {
  call: <PhoneOutlined />,
  meeting: <TeamOutlined />,
  email: <MailOutlined />,
  note: <FileTextOutlined />,
  task: <CheckSquareOutlined />,
};
const OUTCOME_COLORS: Record<string, string> = {
  connected: 'green',
  no_answer: 'orange',
  left_message: 'blue',
  busy: 'orange',
  wrong_number: 'red',
};

interface FormValues {
  subject: string;
  outcome?: string;
  notes?: string;
  durationMinutes?: number | null;
  dueAt?: Dayjs;
}

/** The form for one new activity: big outcome chips for a call, so a call is logged in two taps (Log call → Save). */
function LogForm({
  parentType,
  parentId,
  type,
  onDone,
}: {
  parentType: ParentType;
  parentId: string;
  type: ActivityType;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const log = useLogActivity(parentType);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (v: FormValues) => {
    setProblem(null);
    const body: Record<string, unknown> = {
      type,
      parentType,
      parentId,
      subject: v.subject.trim() || t(`activities.defaultSubject.${type}`),
    };
    if (v.notes?.trim()) body.notes = v.notes.trim();
    if (type === 'call' && v.outcome) body.outcome = v.outcome;
    if ((type === 'call' || type === 'meeting') && v.durationMinutes != null)
      body.durationMinutes = v.durationMinutes;
    if (type === 'task') body.dueAt = (v.dueAt ?? dayjs(defaultDue())).toISOString();
    log.mutate(body, {
      onSuccess: () => {
        void message.success(t(`activities.logged.${type}`));
        onDone();
      },
      onError: (e) => {
        const rest = applyFieldErrors(form, e, t, i18n.language);
        if (rest.length || !(e as { fields?: unknown[] }).fields?.length) setProblem(problemMessage(t, e));
      },
    });
  };
  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{
        subject: t(`activities.defaultSubject.${type}`),
        outcome: type === 'call' ? 'connected' : undefined,
        dueAt: dayjs(defaultDue()),
      }}
      style={{ marginTop: 12 }}
      data-testid="activity-form"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) onDone();
      }}
      aria-label={t(`activities.new.${type}`)}
    >
      {type === 'call' && (
        <Form.Item name="outcome" label={t('activities.field.outcome')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            size="large"
            className="ltc-chips"
            data-testid="outcome-chips"
          >
            {CALL_OUTCOMES.map((o) => (
              <Radio.Button key={o} value={o} data-testid={`outcome-${o}`}>
                {t(`activities.outcome.${o}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
      )}
      <Form.Item
        name="subject"
        label={t('activities.field.subject')}
        rules={[{ required: true, whitespace: true, message: t('activities.subjectRequired') }]}
      >
        <Input maxLength={200} size="large" />
      </Form.Item>
      {type === 'task' && (
        <Form.Item
          name="dueAt"
          label={t('activities.field.dueAt')}
          rules={[{ required: true, message: t('activities.dueRequired') }]}
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            size="large"
            style={{ width: '100%' }}
            inputReadOnly
          />
        </Form.Item>
      )}
      {(type === 'call' || type === 'meeting') && (
        <Form.Item name="durationMinutes" label={t('activities.field.durationMinutes')}>
          <InputNumber min={0} max={1440} size="large" style={{ width: '100%' }} />
        </Form.Item>
      )}
      <Form.Item name="notes" label={t('activities.field.notes')}>
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      {problem && <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} />}
      <Flex gap={8}>
        <Button
          type="primary"
          htmlType="submit"
          size="large"
          loading={log.isPending}
          data-testid="activity-save"
          style={{ flex: 1 }}
        >
          {t('common.save')}
        </Button>
        <Button size="large" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </Flex>
    </Form>
  );
}

/** A new due time for an open task (If-Match on the version shown); a new reminder follows it. */
function RescheduleDialog({ a, onClose }: { a: Activity; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ dueAt: Dayjs }>();
  const patch = useRescheduleTask();
  const save = (v: { dueAt: Dayjs }) =>
    patch.mutate(
      { a, dueAt: v.dueAt.toISOString() },
      {
        onSuccess: () => {
          void message.success(t('activities.rescheduled'));
          onClose();
        },
        onError: (e) => void message.error(problemMessage(t, e)),
      },
    );
  return (
    <Modal
      open
      title={t('activities.rescheduleTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={patch.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ dueAt: a.dueAt ? dayjs(a.dueAt) : dayjs(defaultDue()) }}
      >
        <Form.Item
          name="dueAt"
          label={t('activities.field.dueAt')}
          rules={[{ required: true, message: t('activities.dueRequired') }]}
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            style={{ width: '100%' }}
            inputReadOnly
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One activity or task in a list: what, when, who; a task has a checkbox to complete it in place. */
export function ActivityItem({
  a,
  showParent = false,
  mayWrite,
}: {
  a: Activity;
  showParent?: boolean;
  mayWrite: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const { message } = App.useApp();
  const complete = useCompleteTask();
  const del = useDeleteActivity();
  const [moving, setMoving] = useState(false);
  const isTask = a.type === 'task';
  const openTask = isTask && a.status === 'open';
  return (
    <List.Item
      data-testid={`activity-${a.id}`}
      actions={[
        ...(openTask && mayWrite
          ? [
              <Button
                key="move"
                type="text"
                size="small"
                icon={<CalendarOutlined />}
                aria-label={t('activities.reschedule', { subject: a.subject })}
                title={t('activities.rescheduleTitle')}
                onClick={() => setMoving(true)}
                data-testid="reschedule"
              />,
            ]
          : []),
        ...(a.deletable && mayWrite
          ? [
              <Popconfirm
                key="del"
                title={t('activities.deleteConfirm')}
                okText={t('activities.deleteOk')}
                cancelText={t('common.cancel')}
                onConfirm={() => del.mutateAsync(a).catch((e) => void message.error(problemMessage(t, e)))}
              >
                <Button
                  type="text"
                  size="small"
                  icon={<DeleteOutlined />}
                  aria-label={t('activities.delete', { subject: a.subject })}
                  loading={del.isPending}
                  data-testid="delete-activity"
                />
              </Popconfirm>,
            ]
          : []),
      ]}
    >
      {moving && <RescheduleDialog a={a} onClose={() => setMoving(false)} />}
      <Flex gap={10} align="flex-start" style={{ width: '100%' }}>
        {isTask ? (
          <Checkbox
            checked={a.status === 'done'}
            disabled={!mayWrite || a.status === 'done' || complete.isPending}
            aria-label={t('activities.complete', { subject: a.subject })}
            data-testid="complete-task"
            style={{ paddingTop: 2, transform: 'scale(1.25)' }}
            onChange={() =>
              complete.mutate(a, {
                onSuccess: () => void message.success(t('activities.completed')),
                onError: (e) => void message.error(problemMessage(t, e)),
              })
            }
          />
        ) : (
          <span aria-hidden style={{ paddingTop: 2, color: '#1677ff' }}>
            {TYPE_ICONS[a.type]}
          </span>
        )}
        <div style={{ minWidth: 0, flex: 1 }}>
          <Space size={4} wrap>
            <Typography.Text strong delete={isTask && a.status === 'done'}>
              {a.subject}
            </Typography.Text>
            <Tag bordered={false}>{t(`activities.type.${a.type}`)}</Tag>
            {a.outcome && <Tag color={OUTCOME_COLORS[a.outcome]}>{t(`activities.outcome.${a.outcome}`)}</Tag>}
            {a.overdue && <Tag color="red">{t('activities.overdue')}</Tag>}
          </Space>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {isTask
                ? a.status === 'done'
                  ? t('activities.doneOn', { when: f.dateTime(a.completedAt) })
                  : t('activities.dueOn', { when: f.dateTime(a.dueAt) })
                : f.dateTime(a.occurredAt)}
              {a.durationMinutes != null && ` · ${t('activities.minutes', { count: a.durationMinutes })}`}
              {' · '}
              {isTask ? (a.assigneeName ?? '—') : (a.ownerName ?? '—')}
              {showParent && (
                <>
                  {' · '}
                  <Link to={`/${PARENT_SEGMENT[a.parentType]}/${a.parentId}`}>
                    {t(`activities.parent.${a.parentType}`)}: {a.parentName ?? a.parentId}
                  </Link>
                </>
              )}
            </Typography.Text>
          </div>
          {a.notes && (
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>
              {a.notes}
            </Typography.Paragraph>
          )}
        </div>
      </Flex>
    </List.Item>
  );
}

/**
 * The activity panel of a lead, opportunity, account or contact: big buttons to log a call, a
 * meeting, an email or a note, or add a task; then everything logged on the record, newest first,
 * open tasks with a checkbox to complete them.
 */
export function ActivityPanel({
  parentType,
  parentId,
  leadId,
}: {
  parentType: ParentType;
  parentId: string;
  leadId?: string | null;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mayWrite = can(parentType, 'write');
  const [open, setOpen] = useState<ActivityType | null>(null);
  // The text filter: matched by the server on subject and notes (the whole history of this record),
  // sent once typing pauses.
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setSearch(text.trim()), 250);
    return () => clearTimeout(h);
  }, [text]);
  // An account's panel gathers its contacts' and opportunities' activities too, each naming its record.
  const q = useActivities({
    ...(parentType === 'account' ? { accountId: parentId } : { parentType, parentId }),
    limit: 100,
    q: search || undefined,
  });
  const elsewhere = (a: Activity) => a.parentType !== parentType || a.parentId !== parentId;
  // A record converted from a lead shows the lead's history too (for those who may read leads).
  const fromLead = useActivities(
    { parentType: 'lead', parentId: leadId ?? undefined, limit: 100 },
    !!leadId && can('lead', 'read'),
  );
  const leadItems = fromLead.data?.items ?? [];
  // On a phone the panel sits below the record's details: a floating "Log call" button opens the call form from anywhere.
  const phone = Grid.useBreakpoint().md === false;
  const ref = useRef<HTMLDivElement>(null);
  const quickCall = () => {
    setOpen('call');
    requestAnimationFrame(() => ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
  };
  const items = q.data?.items ?? [];
  const openTasks = items.filter((a) => a.type === 'task' && a.status === 'open');
  const rest = items.filter((a) => !(a.type === 'task' && a.status === 'open'));
  const button = (type: ActivityType, primary = false) => (
    <Button
      key={type}
      size="large"
      type={primary ? 'primary' : 'default'}
      icon={TYPE_ICONS[type]}
      onClick={() => setOpen(open === type ? null : type)}
      aria-pressed={open === type}
      data-testid={`log-${type}`}
      className="ltc-big-button"
    >
      {t(`activities.new.${type}`)}
    </Button>
  );
  return (
    <Card
      ref={ref}
      title={t('activities.title')}
      size="small"
      data-testid="activity-panel"
      style={{ marginTop: 16, scrollMarginTop: 8 }}
    >
      {phone && mayWrite && open !== 'call' && (
        <FloatButton
          type="primary"
          icon={<PhoneOutlined />}
          onClick={quickCall}
          aria-label={t('activities.new.call')}
          tooltip={t('activities.new.call')}
          data-testid="quick-log-call"
          style={{ insetInlineEnd: 20, insetBlockEnd: 24, width: 56, height: 56 }}
        />
      )}
      {mayWrite && (
        <>
          <Flex wrap gap={8} className="ltc-activity-buttons">
            {button('call', true)}
            {button('meeting')}
            {button('email')}
            {button('note')}
            {button('task')}
          </Flex>
          {open && (
            <LogForm
              key={open}
              parentType={parentType}
              parentId={parentId}
              type={open}
              onDone={() => setOpen(null)}
            />
          )}
        </>
      )}
      {(items.length > 0 || text) && (
        <Input.Search
          allowClear
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => setSearch(v.trim())}
          placeholder={t('activitySearch.filter')}
          aria-label={t('activitySearch.filter')}
          maxLength={100}
          loading={q.isFetching && !!search}
          style={{ margin: '12px 0 4px' }}
          data-testid="activity-filter"
        />
      )}
      {q.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : !items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={search ? t('activitySearch.none', { q: search }) : t('activities.none')} />
      ) : (
        <>
          {openTasks.length > 0 && (
            <List
              size="small"
              header={
                <Typography.Text strong>
                  {t('activities.openTasks', { count: openTasks.length })}
                </Typography.Text>
              }
              dataSource={openTasks}
              renderItem={(a) => (
                <ActivityItem a={a} mayWrite={can(a.parentType, 'write')} showParent={elsewhere(a)} />
              )}
              data-testid="open-tasks"
            />
          )}
          <List
            size="small"
            dataSource={rest}
            renderItem={(a) => (
              <ActivityItem a={a} mayWrite={can(a.parentType, 'write')} showParent={elsewhere(a)} />
            )}
            data-testid="activity-list"
          />
        </>
      )}
      {leadItems.length > 0 && (
        <List
          size="small"
          header={
            <Typography.Text strong>{t('activities.fromLead', { count: leadItems.length })}</Typography.Text>
          }
          dataSource={leadItems}
          renderItem={(a) => <ActivityItem a={a} mayWrite={false} />}
          data-testid="lead-activities"
        />
      )}
    </Card>
  );
}
