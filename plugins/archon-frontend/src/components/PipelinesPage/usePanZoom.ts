import { useCallback, useEffect, useRef, useState } from 'react';

export interface Transform {
  k: number;
  x: number;
  y: number;
}

const MIN_ZOOM = 0.05;
const MAX_ZOOM = 3;
const clamp = (k: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));

/**
 * Zoom (wheel, buttons) and pan (drag) of an SVG viewport. The transform is
 * state of the viewport, not of the data, so re-rendering with fresh statuses
 * keeps it; only `fit` (on a new view or the Fit button) replaces it.
 */
export function usePanZoom(content: { width: number; height: number }) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [transform, setTransform] = useState<Transform>({ k: 1, x: 0, y: 0 });
  const drag = useRef<{ px: number; py: number } | undefined>(undefined);

  /**
   * Fits the content to the view. With `minScale`, never zooms out below it
   * (the default view keeps labels readable): content wider or taller than
   * the view then starts at its left/top edge, where data flow starts, and
   * the rest is a pan away.
   */
  const fit = useCallback(
    (options?: { minScale?: number }) => {
      const box = svgRef.current?.getBoundingClientRect();
      const w = box?.width || 800;
      const h = box?.height || 500;
      if (!content.width || !content.height) return;
      const k = clamp(
        Math.max(
          Math.min(w / content.width, h / content.height, 1),
          Math.min(options?.minScale ?? 0, 1),
        ),
      );
      const x = (w - content.width * k) / 2;
      const y = (h - content.height * k) / 2;
      setTransform({ k, x: Math.max(x, 0), y: Math.max(y, 0) });
    },
    [content.width, content.height],
  );

  const zoomBy = useCallback((factor: number, cx?: number, cy?: number) => {
    setTransform(t => {
      const box = svgRef.current?.getBoundingClientRect();
      const px = cx ?? (box?.width ?? 0) / 2;
      const py = cy ?? (box?.height ?? 0) / 2;
      const k = clamp(t.k * factor);
      // Keep the point under the cursor (or the centre) where it is.
      return {
        k,
        x: px - ((px - t.x) * k) / t.k,
        y: py - ((py - t.y) * k) / t.k,
      };
    });
  }, []);

  // React registers wheel listeners as passive; zooming must stop the page
  // from scrolling, so the listener is a native, non-passive one.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return undefined;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const box = svg.getBoundingClientRect();
      zoomBy(
        event.deltaY < 0 ? 1.15 : 1 / 1.15,
        event.clientX - box.left,
        event.clientY - box.top,
      );
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, [zoomBy]);

  const handlers = {
    onPointerDown: (event: React.PointerEvent) => {
      // Only the background pans; a press on a node selects it.
      if ((event.target as Element).closest('[data-node-id]')) return;
      drag.current = { px: event.clientX, py: event.clientY };
    },
    onPointerMove: (event: React.PointerEvent) => {
      const start = drag.current;
      if (!start) return;
      const dx = event.clientX - start.px;
      const dy = event.clientY - start.py;
      drag.current = { px: event.clientX, py: event.clientY };
      setTransform(t => ({ ...t, x: t.x + dx, y: t.y + dy }));
    },
    onPointerUp: () => {
      drag.current = undefined;
    },
    onPointerLeave: () => {
      drag.current = undefined;
    },
  };

  return { svgRef, transform, fit, zoomBy, handlers };
}
