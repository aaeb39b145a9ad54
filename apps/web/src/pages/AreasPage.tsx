import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Card, Col, Empty, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AreaDetail, AreaSummary } from '@wangge/contracts';
import { errorMessage } from '../api/client.ts';
import { useCan } from '../auth/session.tsx';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { useAreaTree } from '../components/areas/useAreaTree.ts';
import { AreaTreePanel } from '../components/areas/AreaTreePanel.tsx';
import { AreaDetailCard } from '../components/areas/AreaDetailCard.tsx';
import { AreaEditModal } from '../components/areas/AreaEditModal.tsx';

/** /areas?area=<id> — the area tree on the left, the selected area on the right. */
export default function AreasPage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.areas'));
  const { message } = App.useApp();
  const can = useCan();
  const tree = useAreaTree();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('area');
  const [editing, setEditing] = useState<AreaDetail | null>(null);
  const started = useRef(false);
  // The first expansion finishes after a few requests: by then the user may have gone to another page,
  // and writing ?area= would send them back here.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const { autoExpand, reveal } = tree;

  const select = (id: string) => setParams({ area: id }, { replace: true });

  // First visit: open the tree down to the user's street; with ?area= in the link, down to that area.
  useEffect(() => {
    if (started.current || !tree.roots.data) return;
    started.current = true;
    const initial = params.get('area');
    const opening = initial ? reveal(initial).then(() => initial) : autoExpand();
    opening
      .then((id) => {
        if (id && !initial && mounted.current) setParams({ area: id }, { replace: true });
      })
      .catch((error: unknown) => void message.error(errorMessage(error)));
  }, [tree.roots.data, params, setParams, autoExpand, reveal, message]);

  const open = (id: string) =>
    reveal(id)
      .then(() => select(id))
      .catch((error: unknown) => void message.error(errorMessage(error)));

  const pick = (area: AreaSummary) => open(area.id);

  return (
    <>
      <Row gutter={[16, 16]} className="areas-page">
        <Col xs={24} lg={10} xl={9} xxl={8}>
          <AreaTreePanel tree={tree} selectedId={selectedId} onSelect={select} onPick={pick} />
        </Col>
        <Col xs={24} lg={14} xl={15} xxl={16}>
          {selectedId ? (
            <AreaDetailCard
              id={selectedId}
              canManage={can('area.manage')}
              isKnown={(id) => tree.known.has(id)}
              onNavigate={(id) => void open(id)}
              onEdit={setEditing}
            />
          ) : (
            <Card>
              <Empty description={t('areas.selectHint')} />
            </Card>
          )}
        </Col>
      </Row>
      <AreaEditModal area={editing} onClose={() => setEditing(null)} onSaved={tree.patch} />
    </>
  );
}
