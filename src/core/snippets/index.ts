/** Request → HAR → code. See har.ts (masking) and generate.ts (targets, placeholders, tab stops). */
export { toHar, type HarOptions, type HarRequest, type HarNameValue } from './har';
export {
  generateSnippet,
  toSnippetWithTabStops,
  SNIPPET_TARGETS,
  type Snippet,
  type SnippetOptions,
  type SnippetPlaceholder,
  type SnippetTarget,
  type SnippetTargetId,
} from './generate';
