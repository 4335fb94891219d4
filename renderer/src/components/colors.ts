import type { ColorTag } from '../../../electron/contract';

export const COLOR_HEX: Record<ColorTag, string> = {
  none: 'transparent',
  red: '#d03050',
  orange: '#f0a020',
  yellow: '#e6c229',
  green: '#18a058',
  blue: '#2080f0',
  purple: '#8a5cf6',
  gray: '#909399',
};

export const COLOR_LABEL: Record<ColorTag, string> = {
  none: 'No tag',
  red: 'Red — production',
  orange: 'Orange — staging',
  yellow: 'Yellow',
  green: 'Green — development',
  blue: 'Blue — local',
  purple: 'Purple',
  gray: 'Gray',
};
