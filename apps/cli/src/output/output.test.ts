import { formatAge, humanDuration } from './age';
import { kubectlList, printerCell, toYaml } from './printers';
import { ISTIOCTL_STYLE, KUBECTL_STYLE, formatTable } from './table';

describe('formatTable', () => {
  it('pads like kubectl (min width 10, padding 3, last column unpadded)', () => {
    const lines = formatTable(['NAME', 'GATEWAYS', 'HOSTS', 'AGE'], [['bookinfo', '["bookinfo-gateway"]', '["*"]', '5s']], KUBECTL_STYLE);
    expect(lines).toEqual([
      'NAME       GATEWAYS               HOSTS     AGE',
      'bookinfo   ["bookinfo-gateway"]   ["*"]     5s',
    ]);
  });

  it('pads like istioctl (padding 5), keeping trailing padding before an empty last cell', () => {
    const lines = formatTable(['A', 'B', 'C'], [['x', 'yy', '']], ISTIOCTL_STYLE);
    expect(lines).toEqual(['A     B      C', 'x     yy     ']);
  });
});

describe('age', () => {
  it.each([
    [5_000, '5s'],
    [119_000, '119s'],
    [182_000, '3m2s'],
    [240_000, '4m'],
    [15 * 60_000, '15m'],
    [4 * 3_600_000 + 10 * 60_000, '4h10m'],
    [20 * 3_600_000, '20h'],
    [48 * 3_600_000, '2d'],
    [51 * 3_600_000, '2d3h'],
    [30 * 86_400_000, '30d'],
    [(3 * 365 + 20) * 86_400_000, '3y20d'],
    [-500, '0s'],
    [-5_000, '<invalid>'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('formats from a timestamp', () => {
    expect(formatAge('2024-01-01T00:00:00Z', new Date('2024-01-01T00:03:02Z'))).toBe('3m2s');
    expect(formatAge(undefined, new Date())).toBe('<unknown>');
  });
});

describe('printers', () => {
  it('prints lists like kubectl -o yaml', () => {
    expect(toYaml(kubectlList([{ kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', spec: { hosts: ['a'] } }]))).toBe(
      [
        'apiVersion: v1',
        'items:',
        '- apiVersion: networking.istio.io/v1',
        '  kind: VirtualService',
        '  spec:',
        '    hosts:',
        '    - a',
        'kind: List',
        'metadata:',
        '  resourceVersion: ""',
        '',
      ].join('\n'),
    );
  });

  it('renders printer cells', () => {
    expect(printerCell(['bookinfo-gateway'])).toBe('["bookinfo-gateway"]');
    expect(printerCell('reviews')).toBe('reviews');
    expect(printerCell(undefined)).toBe('');
  });
});
