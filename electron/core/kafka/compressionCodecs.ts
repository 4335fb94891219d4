import kafkajs from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';

/**
 * kafkajs ships gzip only; the other codecs are plugged into its registry once, here. Snappy comes
 * from kafkajs-snappy (pure JavaScript). LZ4 and zstd have only native bindings for kafkajs, which
 * cannot be built for every target yet: producing with them is refused with a clear message, and
 * reading them fails naming the codec.
 */
const { CompressionCodecs, CompressionTypes } = kafkajs;
CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;
