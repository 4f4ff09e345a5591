/** The state machine diagram: definition → graph → layout → SVG (→ PNG), coloured by an execution's history. */
export {
  buildDiagramGraph,
  parseDefinition,
  resourceLabel,
  DiagramDefinitionError,
  STATE_TYPES,
  type StateType,
  type QueryLanguage,
  type DiagramGraph,
  type DiagramNode,
  type DiagramNodeKind,
  type DiagramEdge,
  type DiagramEdgeKind,
  type DiagramCluster,
  type DiagramClusterKind,
} from './graph.js';
export { describeChoiceRule, describeCondition, truncate } from './choice-label.js';
export { layoutDiagram, textWidth, type DiagramLayout, type LayoutOptions, type PlacedNode, type PlacedEdge, type PlacedCluster, type Point } from './layout.js';
export { renderDiagramSvg, renderLayoutSvg, statusOf, type DiagramSvgOptions } from './svg.js';
export { escapeXml } from './svg-parts.js';
export { STATE_STATUSES, STATUS_PAINT, STATUS_LABEL, type StateStatus, type Paint } from './theme.js';
export { summarizeExecution, stateStatuses, type WireHistoryEvent, type ExecutionOutcome, type ExecutionStatusSummary } from './execution-status.js';
export { svgToPng, type PngOptions } from './png.js';
