import { fullTime, localTime } from '../format';

/** A capture's saved time as the message table writes times (local, to the second). */
export const when = (iso: string): string => localTime(Date.parse(iso));
/** The full date, zone and UTC of a capture's saved time, on hover. */
export const whenFull = (iso: string): string => fullTime(Date.parse(iso));
