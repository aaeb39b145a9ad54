import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { COLORS, NO_DATA, RAMP } from './mapStyle.ts';
import { formatFigure, useFigureLabel, type Domain } from './figures.ts';

const PROBLEM_KINDS = ['gap', 'overlap', 'outside_parent'] as const;

interface SelectProps {
  figures: string[];
  value: string;
  onChange: (figure: string) => void;
}

/** Which figure colours the grids (test id grid-figure-select); the list follows what the server sends. */
export function FigureSelect({ figures, value, onChange }: SelectProps) {
  const label = useFigureLabel();
  return (
    <Select
      data-testid="grid-figure-select"
      value={value}
      onChange={onChange}
      options={figures.map((f) => ({ value: f, label: label(f) }))}
      style={{ minWidth: 150 }}
      popupMatchSelectWidth={false}
    />
  );
}

function Swatch({ background, border }: { background: string; border?: string }) {
  return <span className="legend-swatch" style={{ background, ...(border ? { border } : {}) }} />;
}

interface LegendProps {
  figure: string;
  domain: Domain | null;
  /** Adds the colours of cover problems and proposed grids. */
  editing: boolean;
}

/** Key to the map colours, drawn over its lower left corner. */
export function MapLegend({ figure, domain, editing }: LegendProps) {
  const { t } = useTranslation();
  const label = useFigureLabel();
  const hatch = `repeating-linear-gradient(135deg, ${COLORS.dedicated} 0 2px, transparent 2px 6px)`;
  return (
    <div className="map-legend" data-testid="map-legend">
      <div className="map-legend-title">{label(figure)}</div>
      {domain && (
        <div className="map-legend-ramp">
          <span className="map-legend-bar" style={{ background: `linear-gradient(to right, ${RAMP.join(', ')})` }} />
          <span className="map-legend-scale">
            <span>{formatFigure(domain.min, figure)}</span>
            <span>{formatFigure(domain.max, figure)}</span>
          </span>
        </div>
      )}
      <div className="map-legend-items">
        <span className="map-legend-item">
          <Swatch background={NO_DATA} />
          {t('gridMap.legend.noData')}
        </span>
        <span className="map-legend-item">
          <Swatch background={hatch} border={`1px dashed ${COLORS.dedicated}`} />
          {t('gridMap.legend.dedicated')}
        </span>
        <span className="map-legend-item">
          <Swatch background="transparent" border={`2px solid ${COLORS.outline}`} />
          {t('gridMap.legend.outline')}
        </span>
        <span className="map-legend-item">
          <span className="legend-dot" style={{ background: COLORS.building }} />
          {t('gridMap.legend.building')}
        </span>
        {editing && (
          <>
            <span className="map-legend-item">
              <Swatch background="transparent" border={`2px dashed ${COLORS.proposed}`} />
              {t('gridMap.legend.proposed')}
            </span>
            {PROBLEM_KINDS.map((k) => (
              <span key={k} className="map-legend-item">
                <Swatch background={COLORS[k]} />
                {t(`gridMap.preview.problemKinds.${k}`)}
              </span>
            ))}
          </>
        )}
      </div>
    </div>
  );
}
