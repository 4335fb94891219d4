/** The message filter lives in core/filters (one description compiled to JavaScript and to SQL); Consume and presets import it from here. */
export { compileFilter, jsonPathOrRefuse } from '../filters/messageFilter';
