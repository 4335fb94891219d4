import { createLocale, enUS } from 'naive-ui';

/**
 * Naive UI's English locale without its generic placeholders ("Please Input", "Please Select"): a
 * field says what it wants in its own placeholder or label, or shows nothing.
 */
export const locale = createLocale(
  {
    Input: { placeholder: '' },
    InputNumber: { placeholder: '' },
    Select: { placeholder: '' },
    Cascader: {
      placeholder: '',
      loading: 'Loading',
      loadingRequiredMessage: (label: string) => `Load all of ${label}'s descendants before checking it.`,
    },
  },
  enUS,
);
