/**
 * Local Apache Kafka 4.1.1 (KRaft, single combined broker+controller) for
 * integration / UI tests and for developers (`npm run kafka:up` / `kafka:down`).
 *
 * - Jars come from Maven Central (resolved with `mvn`) into a cache outside the
 *   repo: ${KAFKA_DESK_CACHE:-~/.cache/kafka-desk}/kafka-4.1.1/libs/.
 * - Everything per run lives in <repo>/.dev-kafka/ (git-ignored): data/, certs/,
 *   server.properties, log4j2.properties, kafka.log, kafka.pid, cluster.json.
 * - Listeners (all 127.0.0.1): PLAINTEXT 19092, SASL_PLAINTEXT 19093, OAUTHBEARER 19098
 *   (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), SSL 19094, MTLS 19095 (client cert
 *   required), controller 19090.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes, createHash } from "node:crypto";
import { closeSync, openSync, readFileSync } from "node:fs";
import {
  access,
  mkdir,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import net from "node:net";
import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { kerberosAvailable, startKdc, type KerberosInfo } from "./kdc.js";
import { promisify } from "node:util";
import { Kafka, logLevel, type KafkaConfig } from "kafkajs";

const execFileAsync = promisify(execFile);

export const KAFKA_VERSION = "4.1.1";
/** log4j2 version declared by kafka-server 4.1.1 (see `mvn dependency:tree`). */
export const LOG4J2_VERSION = "2.24.3";

const BROKER_MAIN_CLASS = "kafka.Kafka";
const STORAGE_TOOL_MAIN_CLASS = "kafka.tools.StorageTool";

const HOST = "127.0.0.1";
export const PORTS = {
  controller: 19090,
  plaintext: 19092,
  sasl: 19093,
  ssl: 19094,
  mtls: 19095,
  /** SASL_PLAINTEXT with OAUTHBEARER, validated by Kafka's unsecured (unsigned JWT) validator. */
  oauth: 19098,
  /** SASL_PLAINTEXT with GSSAPI (Kerberos), advertised as localhost (the service principal is kafka/localhost); only when the KDC tools are installed. */
  gssapi: 19096,
  /** SASL_SSL with GSSAPI. */
  gssapiSsl: 19097,
  /** PLAINTEXT, but advertised as 127.0.0.1:19100 where nothing listens: the classic advertised.listeners mistake. */
  badAdvertised: 19099,
} as const;

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const LOCK_TIMEOUT_MS = 15 * 60_000;

export interface UserCredentials {
  username: string;
  password: string;
}

/** Shape of `.dev-kafka/cluster.json`. */
export interface ClusterInfo {
  version: string;
  pid: number;
  clusterId: string;
  /** Absolute path of `.dev-kafka/`. */
  dataDir: string;
  listeners: {
    plaintext: string;
    sasl: string;
    ssl: string;
    mtls: string;
    oauth: string;
    /** Bootstrap answers here; the broker then advertises an address nobody listens on. */
    unreachableAdvertised: string;
  };
  users: {
    plain: UserCredentials;
    scram256: UserCredentials;
    scram512: UserCredentials;
  };
  tls: {
    /** CA that signed the broker and client certs (PEM). */
    ca: string;
    /** Client certificate (PEM) for the MTLS listener, CN=kafka-desk-client. */
    clientCert: string;
    /** Unencrypted PKCS#8 client key (PEM). */
    clientKey: string;
    /** A second, unrelated CA: use it as an "untrusted CA". */
    otherCa: string;
  };
  /** Java classpath (with a `*` wildcard) that runs any Kafka tool class. */
  toolsClasspath: string;
  /** The test KDC and the GSSAPI listeners (`localhost:19096` SASL_PLAINTEXT, `localhost:19097` SASL_SSL); absent when krb5-kdc is not installed. */
  kerberos?: KerberosInfo & { listeners: { gssapi: string; gssapiSsl: string } };
  javaBin: string;
}

export interface EnsureKafkaOptions {
  log?: (s: string) => void;
}

// ---------------------------------------------------------------------------
// Paths

export function repoRoot(): string {
  // this file is <repo>/e2e/infra/kafka.ts
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
}

export function dataDir(): string {
  return path.join(repoRoot(), ".dev-kafka");
}

function clusterFile(): string {
  return path.join(dataDir(), "cluster.json");
}

function pidFile(): string {
  return path.join(dataDir(), "kafka.pid");
}

function logFile(): string {
  return path.join(dataDir(), "kafka.log");
}

function lockDir(): string {
  return path.join(dataDir(), ".lock");
}

function cacheRoot(): string {
  const base =
    process.env.KAFKA_DESK_CACHE ||
    path.join(homedir(), ".cache", "kafka-desk");
  return path.join(path.resolve(base), `kafka-${KAFKA_VERSION}`);
}

export function javaBin(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, "bin", "java") : "java";
}

// ---------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

function errMsg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // A zombie (exited, not yet reaped) still answers kill(0); treat it as dead.
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  // Linux only; elsewhere we cannot tell, assume alive.
  const statLine = readProcSync(`/proc/${pid}/stat`);
  if (statLine === undefined) return false;
  const state = statLine.slice(statLine.lastIndexOf(")") + 2).charAt(0);
  return state === "Z" || state === "X";
}

function readProcSync(p: string): string | undefined {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * True if `pid` looks like a broker that we started for this repo. On systems
 * without /proc we cannot check, and trust the pid file.
 */
function isOurBroker(pid: number): boolean {
  if (!isPidAlive(pid)) return false;
  const cmdline = readProcSync(`/proc/${pid}/cmdline`);
  if (cmdline === undefined) return process.platform !== "linux";
  const args = cmdline.split("\0");
  return (
    args.includes(BROKER_MAIN_CLASS) &&
    args.includes(path.join(dataDir(), "server.properties"))
  );
}

async function tailFile(p: string, lines: number): Promise<string> {
  try {
    const text = await readFile(p, "utf8");
    return text
      .split("\n")
      .slice(-lines - 1)
      .join("\n");
  } catch {
    return "(no log)";
  }
}

function tcpAccepts(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: HOST, port });
    const done = (ok: boolean) => {
      sock.removeAllListeners();
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}

function randomSecret(): string {
  return randomBytes(12).toString("hex");
}

/** Kafka-style cluster id: 16 random bytes, base64url, no padding, not starting with '-'. */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

// ---------------------------------------------------------------------------
// Cross-process lock (vitest and playwright may start at the same time)

export async function withLock<T>(
  log: (s: string) => void,
  fn: () => Promise<T>,
): Promise<T> {
  await mkdir(dataDir(), { recursive: true });
  const dir = lockDir();
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let announced = false;
  for (;;) {
    try {
      await mkdir(dir);
      await writeFile(path.join(dir, "owner"), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number(
        (
          await readFile(path.join(dir, "owner"), "utf8").catch(() => "")
        ).trim(),
      );
      let stale = false;
      if (owner > 0) {
        stale = !isPidAlive(owner);
      } else {
        // owner file not written yet (or lost): stale only if the lock is old
        const st = await stat(dir).catch(() => undefined);
        stale = st !== undefined && Date.now() - st.mtimeMs > 60_000;
      }
      if (stale) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Timed out waiting for the Kafka lock ${dir} (held by pid ${owner || "?"})`,
        );
      }
      if (!announced) {
        log(
          `waiting for another process (pid ${owner || "?"}) that is starting/stopping Kafka...`,
        );
        announced = true;
      }
      await sleep(300);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Jars

/** A pom whose runtime dependencies are the jars to fetch (shared with the Connect worker). */
export function mavenPom(artifactId: string, comment: string, deps: [group: string, artifact: string, version: string][]): string {
  const dep = ([g, a, v]: [string, string, string]) =>
    `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- ${comment} -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.kafka-desk</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
${deps.map(dep).join("\n")}
  </dependencies>
</project>
`;
}

function pomXml(): string {
  return mavenPom("kafka-runtime", `generated by kafka-desk e2e/infra/kafka.ts: runtime jars of Apache Kafka ${KAFKA_VERSION}`, [
    ["org.apache.kafka", "kafka_2.13", KAFKA_VERSION],
    ["org.apache.kafka", "kafka-tools", KAFKA_VERSION],
    ["org.apache.kafka", "kafka-storage", KAFKA_VERSION],
    ["org.apache.logging.log4j", "log4j-api", LOG4J2_VERSION],
    ["org.apache.logging.log4j", "log4j-core", LOG4J2_VERSION],
    // Kafka 4.1 uses slf4j-api 1.7.36, so the SLF4J 1.x binding (not log4j-slf4j2-impl)
    ["org.apache.logging.log4j", "log4j-slf4j-impl", LOG4J2_VERSION],
  ]);
}

/** Make sure the Kafka runtime jars are in the cache; returns the libs dir. */
async function ensureJars(log: (s: string) => void): Promise<string> {
  return resolveMavenJars(cacheRoot(), pomXml(), `kafka_2.13-${KAFKA_VERSION}`, `Kafka ${KAFKA_VERSION}`, log);
}

/**
 * Resolves a generated pom's runtime dependencies with Maven into `<root>/libs` once (a marker holds
 * the pom's hash); returns the libs dir. Shared with the Kafka Connect worker (connect.ts).
 */
export async function resolveMavenJars(root: string, pom: string, mustHave: string, what: string, log: (s: string) => void): Promise<string> {
  const libs = path.join(root, "libs");
  const marker = path.join(libs, ".complete");
  const pomHash = createHash("sha256").update(pom).digest("hex");
  if ((await readFile(marker, "utf8").catch(() => "")).trim() === pomHash)
    return libs;

  log(`resolving ${what} jars with Maven into ${root} (first run only)...`);
  const t0 = Date.now();
  await mkdir(root, { recursive: true });
  await writeFile(path.join(root, "pom.xml"), pom);
  const tmp = path.join(root, `libs.tmp-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  try {
    await execFileAsync(
      "mvn",
      [
        "-q",
        "-B",
        "-f",
        path.join(root, "pom.xml"),
        "dependency:copy-dependencies",
        `-DoutputDirectory=${tmp}`,
        "-DincludeScope=runtime",
      ],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: string };
    await rm(tmp, { recursive: true, force: true });
    if (err.code === "ENOENT") {
      throw new Error(
        `Maven (\`mvn\`) is required to download the ${what} jars but was not found on PATH`,
      );
    }
    throw new Error(
      `Maven failed to resolve the ${what} jars:\n${err.stdout ?? ""}\n${err.stderr ?? ""}`.trim(),
    );
  }
  const jars = (await readdir(tmp)).filter((f) => f.endsWith(".jar"));
  if (!jars.some((j) => j.startsWith(mustHave))) {
    throw new Error(`Maven finished but ${tmp} has no ${mustHave}*.jar`);
  }
  await writeFile(path.join(tmp, ".complete"), `${pomHash}\n`);
  await rm(libs, { recursive: true, force: true });
  await rename(tmp, libs);
  log(
    `resolved ${jars.length} jars in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return libs;
}

// ---------------------------------------------------------------------------
// TLS material

interface TlsFiles {
  ca: string;
  caKey: string;
  brokerKeystore: string;
  clientCert: string;
  clientKey: string;
  otherCa: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync("openssl", args, { cwd });
  } catch (e) {
    const err = e as { stderr?: string; code?: string };
    if (err.code === "ENOENT")
      throw new Error(
        "`openssl` is required to generate test certificates but was not found on PATH",
      );
    throw new Error(
      `openssl ${args.join(" ")} failed:\n${err.stderr ?? errMsg(e)}`,
    );
  }
}

async function generateCerts(dir: string): Promise<TlsFiles> {
  await mkdir(dir, { recursive: true });
  const days = "3650";
  const newKey = (out: string) =>
    openssl(
      [
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        out,
      ],
      dir,
    );
  const newCa = async (key: string, cert: string, cn: string) => {
    await newKey(key);
    await openssl(
      [
        "req",
        "-x509",
        "-new",
        "-key",
        key,
        "-sha256",
        "-days",
        days,
        "-subj",
        `/O=Kafka Desk/CN=${cn}`,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-addext",
        "subjectKeyIdentifier=hash",
        "-out",
        cert,
      ],
      dir,
    );
  };
  const newLeaf = async (name: string, cn: string, ext: string) => {
    await newKey(`${name}-key.pem`);
    await openssl(
      [
        "req",
        "-new",
        "-key",
        `${name}-key.pem`,
        "-subj",
        `/O=Kafka Desk/CN=${cn}`,
        "-out",
        `${name}.csr`,
      ],
      dir,
    );
    await writeFile(path.join(dir, `${name}.ext`), ext);
    await openssl(
      [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-set_serial",
        `0x${randomBytes(8).toString("hex")}`,
        "-days",
        days,
        "-sha256",
        "-extfile",
        `${name}.ext`,
        "-out",
        `${name}.pem`,
      ],
      dir,
    );
    await rm(path.join(dir, `${name}.csr`), { force: true });
    await rm(path.join(dir, `${name}.ext`), { force: true });
  };

  await newCa("ca-key.pem", "ca.pem", "Kafka Desk Test CA");
  await newCa("other-ca-key.pem", "other-ca.pem", "Kafka Desk Untrusted CA");
  await newLeaf(
    "broker",
    "localhost",
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth,clientAuth",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "authorityKeyIdentifier=keyid",
      "",
    ].join("\n"),
  );
  await newLeaf(
    "client",
    "kafka-desk-client",
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=clientAuth",
      "authorityKeyIdentifier=keyid",
      "",
    ].join("\n"),
  );

  // Kafka PEM key store: unencrypted PKCS#8 key followed by the cert chain.
  // Kafka 4.1 accepts an unencrypted key without ssl.key.password. The chain is
  // just the leaf (like most real brokers, the root is not sent), so a client
  // with the wrong CA gets "unable to verify the first certificate" rather than
  // "self-signed certificate in certificate chain".
  const keystore = path.join(dir, "broker-keystore.pem");
  const [brokerKey, brokerCert] = await Promise.all(
    ["broker-key.pem", "broker.pem"].map((f) =>
      readFile(path.join(dir, f), "utf8"),
    ),
  );
  await writeFile(keystore, `${brokerKey!.trim()}\n${brokerCert!.trim()}\n`, {
    mode: 0o600,
  });

  return {
    ca: path.join(dir, "ca.pem"),
    caKey: path.join(dir, "ca-key.pem"),
    brokerKeystore: keystore,
    clientCert: path.join(dir, "client.pem"),
    clientKey: path.join(dir, "client-key.pem"),
    otherCa: path.join(dir, "other-ca.pem"),
  };
}

// ---------------------------------------------------------------------------
// Config files

function serverProperties(
  dir: string,
  tls: TlsFiles,
  users: ClusterInfo["users"],
  kerberos: KerberosInfo | null = null,
): string {
  const l = (name: string, port: number) => `${name}://${HOST}:${port}`;
  const krbListeners = kerberos ? [l("GSSAPI", PORTS.gssapi), l("GSSAPI_SSL", PORTS.gssapiSsl)] : [];
  const krbAdvertised = kerberos ? [`GSSAPI://localhost:${PORTS.gssapi}`, `GSSAPI_SSL://localhost:${PORTS.gssapiSsl}`] : [];
  const krbJaas = kerberos
    ? `com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true keyTab="${kerberos.broker.keytab}" principal="${kerberos.broker.principal}";`
    : "";
  const krbProps: Array<[string, string | number]> = kerberos
    ? [
        ["sasl.kerberos.service.name", "kafka"],
        ["listener.name.gssapi.sasl.enabled.mechanisms", "GSSAPI"],
        ["listener.name.gssapi.gssapi.sasl.jaas.config", krbJaas],
        // the plaintext GSSAPI listener asks clients to log in again every 15 s: long Listen sessions re-authenticate
        ["listener.name.gssapi.gssapi.connections.max.reauth.ms", 15000],
        ["listener.name.gssapi_ssl.sasl.enabled.mechanisms", "GSSAPI"],
        ["listener.name.gssapi_ssl.gssapi.sasl.jaas.config", krbJaas],
      ]
    : [];
  const props: Array<[string, string | number | boolean]> = [
    ["process.roles", "broker,controller"],
    ["node.id", 1],
    ["controller.quorum.voters", `1@${HOST}:${PORTS.controller}`],
    ["controller.listener.names", "CONTROLLER"],
    [
      "listeners",
      [
        l("CONTROLLER", PORTS.controller),
        l("PLAINTEXT", PORTS.plaintext),
        l("SASL_PLAINTEXT", PORTS.sasl),
        l("SSL", PORTS.ssl),
        l("MTLS", PORTS.mtls),
        l("OAUTH", PORTS.oauth),
        l("BADADV", PORTS.badAdvertised),
        ...krbListeners,
      ].join(","),
    ],
    [
      "advertised.listeners",
      [
        l("PLAINTEXT", PORTS.plaintext),
        l("SASL_PLAINTEXT", PORTS.sasl),
        l("SSL", PORTS.ssl),
        l("MTLS", PORTS.mtls),
        l("OAUTH", PORTS.oauth),
        l("BADADV", PORTS.badAdvertised + 1),
        ...krbAdvertised,
      ].join(","),
    ],
    [
      "listener.security.protocol.map",
      "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,MTLS:SSL,OAUTH:SASL_PLAINTEXT,BADADV:PLAINTEXT" +
        (kerberos ? ",GSSAPI:SASL_PLAINTEXT,GSSAPI_SSL:SASL_SSL" : ""),
    ],
    ["inter.broker.listener.name", "PLAINTEXT"],

    // SASL
    ["sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512"],
    [
      "listener.name.sasl_plaintext.sasl.enabled.mechanisms",
      "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
    ],
    [
      "listener.name.sasl_plaintext.plain.sasl.jaas.config",
      `org.apache.kafka.common.security.plain.PlainLoginModule required user_${users.plain.username}="${users.plain.password}";`,
    ],
    [
      "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
      "org.apache.kafka.common.security.scram.ScramLoginModule required;",
    ],
    [
      "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
      "org.apache.kafka.common.security.scram.ScramLoginModule required;",
    ],
    // OAUTHBEARER: Kafka's default (unsecured) validator checks an unsigned JWT's structure, subject and
    // expiry; the tests run a client-credentials token endpoint that issues such tokens.
    ["listener.name.oauth.sasl.enabled.mechanisms", "OAUTHBEARER"],
    [
      "listener.name.oauth.oauthbearer.sasl.jaas.config",
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="kafka";',
    ],

    ...krbProps,

    // TLS (SSL and MTLS listeners share the key store; MTLS requires a client cert)
    ["ssl.keystore.type", "PEM"],
    ["ssl.keystore.location", tls.brokerKeystore],
    ["ssl.truststore.type", "PEM"],
    ["ssl.truststore.location", tls.ca],
    ["ssl.client.auth", "none"],
    ["listener.name.ssl.ssl.client.auth", "none"],
    ["listener.name.mtls.ssl.client.auth", "required"],

    // storage & single-node internal topics
    ["log.dirs", path.join(dir, "data")],
    ["num.partitions", 1],
    ["default.replication.factor", 1],
    ["min.insync.replicas", 1],
    // Kafka's own default: a producer that asks (kcat does) may create a topic. Kafka Desk never asks.
    ["auto.create.topics.enable", true],
    ["delete.topic.enable", true],
    ["offsets.topic.replication.factor", 1],
    ["offsets.topic.num.partitions", 10],
    ["transaction.state.log.replication.factor", 1],
    ["transaction.state.log.min.isr", 1],
    ["transaction.state.log.num.partitions", 10],
    ["share.coordinator.state.topic.replication.factor", 1],
    ["share.coordinator.state.topic.min.isr", 1],
    ["group.initial.rebalance.delay.ms", 0],

    // small machine
    ["num.network.threads", 2],
    ["num.io.threads", 4],
    ["num.recovery.threads.per.data.dir", 1],
    ["log.retention.check.interval.ms", 300000],
  ];
  const esc = (v: string) => v.replace(/\\/g, "\\\\");
  return (
    `# generated by e2e/infra/kafka.ts — overwritten on every fresh start\n` +
    props.map(([k, v]) => `${k}=${esc(String(v))}`).join("\n") +
    "\n"
  );
}

export function log4j2Properties(logPath: string): string {
  const esc = (v: string) => v.replace(/\\/g, "\\\\");
  return `# generated by e2e/infra/kafka.ts
status = warn
name = kafka-desk-dev
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = ${esc(logPath)}
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.apache.name = org.apache.kafka
logger.apache.level = INFO
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.reflections.name = org.reflections
logger.reflections.level = ERROR
`;
}

/** For command-line tools (storage format etc.): warnings only, on stderr. */
function toolsLog4j2Properties(): string {
  return `# generated by e2e/infra/kafka.ts: log4j2 config for Kafka command-line tools
status = warn
name = kafka-desk-tools
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
`;
}

export function jvmArgs(log4jConfig: string): string[] {
  return [
    "-Xms256m",
    "-Xmx768m",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
    // never reach out: no JMX/RMI, local-only name service use, IPv4 loopback
    "-Djava.net.preferIPv4Stack=true",
    "-Djava.rmi.server.hostname=127.0.0.1",
    "-Dcom.sun.management.jmxremote=false",
    "-Dsun.net.inetaddr.negative.ttl=0",
    `-Dlog4j2.configurationFile=${log4jConfig}`,
    "-Dlog4j2.disable.jmx=true",
    `-Dkafka.logs.dir=${dataDir()}`,
  ];
}

// ---------------------------------------------------------------------------
// Readiness probes

function clientConfig(
  cluster: ClusterInfo,
  kind: "plaintext" | "plain" | "scram256" | "scram512" | "ssl" | "mtls",
  ca: string,
  cert?: string,
  key?: string,
): KafkaConfig {
  const base: KafkaConfig = {
    clientId: "kafka-desk-infra-probe",
    brokers: [],
    connectionTimeout: 3000,
    authenticationTimeout: 5000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  };
  switch (kind) {
    case "plaintext":
      return { ...base, brokers: [cluster.listeners.plaintext] };
    case "plain":
      return {
        ...base,
        brokers: [cluster.listeners.sasl],
        sasl: { mechanism: "plain", ...cluster.users.plain },
      };
    case "scram256":
      return {
        ...base,
        brokers: [cluster.listeners.sasl],
        sasl: { mechanism: "scram-sha-256", ...cluster.users.scram256 },
      };
    case "scram512":
      return {
        ...base,
        brokers: [cluster.listeners.sasl],
        sasl: { mechanism: "scram-sha-512", ...cluster.users.scram512 },
      };
    case "ssl":
      // servername undefined: verify the IP SAN without sending an IP as SNI
      return {
        ...base,
        brokers: [cluster.listeners.ssl],
        ssl: { ca: [ca], servername: undefined },
      };
    case "mtls":
      return {
        ...base,
        brokers: [cluster.listeners.mtls],
        ssl: {
          ca: [ca],
          cert: cert ?? "",
          key: key ?? "",
          servername: undefined,
        },
      };
  }
}

/** One metadata round trip (describeCluster); returns the cluster id. */
async function describe(config: KafkaConfig): Promise<string> {
  const admin = new Kafka(config).admin();
  try {
    await admin.connect();
    const info = await admin.describeCluster();
    if (info.brokers.length < 1) throw new Error("metadata has no brokers");
    return info.clusterId;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function answersMetadata(plaintext: string): Promise<string | undefined> {
  try {
    return await describe({
      clientId: "kafka-desk-infra-probe",
      brokers: [plaintext],
      connectionTimeout: 2000,
      requestTimeout: 4000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
  } catch {
    return undefined;
  }
}

async function waitUntilReady(
  cluster: ClusterInfo,
  exited: () => string | undefined,
  log: (s: string) => void,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const [ca, cert, key] = await Promise.all(
    [cluster.tls.ca, cluster.tls.clientCert, cluster.tls.clientKey].map((f) =>
      readFile(f, "utf8"),
    ),
  );
  const checks: Array<[string, () => Promise<unknown>]> = [
    ...Object.entries(PORTS).map(
      ([name, port]): [string, () => Promise<unknown>] => [
        `tcp ${name} :${port}`,
        async () => {
          if (!(await tcpAccepts(port))) throw new Error("connection refused");
        },
      ],
    ),
    ...(
      ["plaintext", "plain", "scram256", "scram512", "ssl", "mtls"] as const
    ).map((kind): [string, () => Promise<unknown>] => [
      `metadata via ${kind}`,
      async () => {
        const id = await describe(clientConfig(cluster, kind, ca!, cert, key));
        if (id !== cluster.clusterId)
          throw new Error(`unexpected cluster id ${id}`);
      },
    ]),
  ];
  let i = 0;
  let lastError = "";
  while (i < checks.length) {
    const why = exited();
    if (why !== undefined) {
      throw new Error(
        `Kafka exited during startup (${why}). Last lines of ${logFile()}:\n${await tailFile(logFile(), 40)}`,
      );
    }
    const [name, check] = checks[i]!;
    try {
      await check();
      i++;
      lastError = "";
      continue;
    } catch (e) {
      lastError = `${name}: ${errMsg(e)}`;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Kafka did not become ready within ${READY_TIMEOUT_MS / 1000} s (last failure: ${lastError}). ` +
          `Last lines of ${logFile()}:\n${await tailFile(logFile(), 40)}`,
      );
    }
    await sleep(500);
  }
  log("all listeners answer");
}

// ---------------------------------------------------------------------------
// Public API

export async function readCluster(): Promise<ClusterInfo> {
  let text: string;
  try {
    text = await readFile(clusterFile(), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        `Kafka is not running: run npm run kafka:up (no ${clusterFile()})`,
      );
    }
    throw e;
  }
  try {
    return JSON.parse(text) as ClusterInfo;
  } catch (e) {
    throw new Error(`Cannot parse ${clusterFile()}: ${errMsg(e)}`);
  }
}

/** The running cluster if cluster.json, its pid and a metadata request all agree. */
async function liveCluster(): Promise<ClusterInfo | undefined> {
  const cluster = await readCluster().catch(() => undefined);
  if (!cluster || cluster.version !== KAFKA_VERSION || !isPidAlive(cluster.pid))
    return undefined;
  const id = await answersMetadata(cluster.listeners.plaintext);
  return id === cluster.clusterId ? cluster : undefined;
}

export async function killAndWait(
  pid: number,
  log: (s: string) => void,
): Promise<void> {
  if (!isPidAlive(pid)) return;
  log(`stopping Kafka (pid ${pid})...`);
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    /* already gone */
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isPidAlive(pid)) {
    if (Date.now() > deadline) {
      log(`pid ${pid} still alive after ${STOP_TIMEOUT_MS / 1000} s: SIGKILL`);
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
      const killDeadline = Date.now() + 5000;
      while (isPidAlive(pid) && Date.now() < killDeadline) await sleep(100);
      break;
    }
    await sleep(200);
  }
}

/** Stop whatever broker of ours cluster.json / kafka.pid point at. */
async function stopUnlocked(log: (s: string) => void): Promise<boolean> {
  // a Kafka Connect worker (connect.ts) goes first: it would only log errors without its broker
  const connect = JSON.parse(await readFile(path.join(dataDir(), "connect.json"), "utf8").catch(() => "{}")) as { pid?: number };
  if (connect.pid && isPidAlive(connect.pid)) await killAndWait(connect.pid, log);
  // and the test KDC (kdc.ts), which daemonizes and records its pid
  const kdcPid = Number((await readFile(path.join(dataDir(), "kdc", "krb5kdc.pid"), "utf8").catch(() => "")).trim());
  if (kdcPid > 0 && isPidAlive(kdcPid)) await killAndWait(kdcPid, log);
  await rm(path.join(dataDir(), "connect.json"), { force: true });
  const pids = new Set<number>();
  const cluster = await readCluster().catch(() => undefined);
  if (cluster) pids.add(cluster.pid);
  const pidText = await readFile(pidFile(), "utf8").catch(() => "");
  if (pidText.trim()) pids.add(Number(pidText.trim()));
  let stopped = false;
  for (const pid of pids) {
    if (isOurBroker(pid)) {
      await killAndWait(pid, log);
      stopped = true;
    }
  }
  await rm(clusterFile(), { force: true });
  await rm(pidFile(), { force: true });
  return stopped;
}

async function wipeDataDir(): Promise<void> {
  const dir = dataDir();
  await mkdir(dir, { recursive: true });
  for (const entry of await readdir(dir)) {
    if (entry === ".lock") continue;
    await rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

async function startFresh(log: (s: string) => void): Promise<ClusterInfo> {
  // Anything of ours still around (half-started, wedged) goes first.
  await stopUnlocked(log);
  const busy: string[] = [];
  for (const [name, port] of Object.entries(PORTS)) {
    if (await tcpAccepts(port, 500)) busy.push(`${name} ${HOST}:${port}`);
  }
  if (busy.length > 0) {
    throw new Error(
      `Cannot start Kafka: port(s) already in use by another process: ${busy.join(", ")}. ` +
        `Stop that process (a Kafka from another checkout? try \`ss -ltnp\`) and retry.`,
    );
  }

  const libs = await ensureJars(log);
  const classpath = path.join(libs, "*");
  const java = javaBin();
  const dir = dataDir();
  log(`preparing ${dir}`);
  await wipeDataDir();
  await mkdir(path.join(dir, "data"), { recursive: true });

  const tls = await generateCerts(path.join(dir, "certs"));
  const users: ClusterInfo["users"] = {
    plain: { username: "plainuser", password: randomSecret() },
    scram256: { username: "scram256", password: randomSecret() },
    scram512: { username: "scram512", password: randomSecret() },
  };
  const clusterId = randomClusterId();
  const serverProps = path.join(dir, "server.properties");
  const log4jConfig = path.join(dir, "log4j2.properties");
  const kerberos = kerberosAvailable() ? await startKdc(path.join(dir, "kdc"), log) : null;
  if (!kerberos) log("krb5-kdc is not installed: the broker starts without its GSSAPI listeners");
  await writeFile(serverProps, serverProperties(dir, tls, users, kerberos));
  await writeFile(log4jConfig, log4j2Properties(logFile()));
  const toolsLog4jConfig = path.join(dir, "log4j2-tools.properties");
  await writeFile(toolsLog4jConfig, toolsLog4j2Properties());

  // Format storage (KRaft metadata log) with the SCRAM users.
  const commonJvm = [...jvmArgs(log4jConfig), ...(kerberos ? [`-Djava.security.krb5.conf=${kerberos.krb5Conf}`] : [])];
  try {
    const { stdout, stderr } = await execFileAsync(
      java,
      [
        ...jvmArgs(toolsLog4jConfig).filter((a) => !a.startsWith("-Xm")),
        "-Xmx256m",
        "-cp",
        classpath,
        STORAGE_TOOL_MAIN_CLASS,
        "format",
        "--cluster-id",
        clusterId,
        "--config",
        serverProps,
        "--add-scram",
        `SCRAM-SHA-256=[name=${users.scram256.username},password=${users.scram256.password}]`,
        "--add-scram",
        `SCRAM-SHA-512=[name=${users.scram512.username},password=${users.scram512.password}]`,
      ],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    );
    await writeFile(
      logFile(),
      `[kafka-desk] storage format:\n${stdout}${stderr}\n`,
      { flag: "a" },
    );
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: string };
    if (err.code === "ENOENT")
      throw new Error(
        `Java not found (\`${java}\`): Kafka ${KAFKA_VERSION} needs Java 17+`,
      );
    throw new Error(
      `Kafka storage format failed:\n${err.stdout ?? ""}\n${err.stderr ?? errMsg(e)}`.trim(),
    );
  }

  log(`starting Kafka ${KAFKA_VERSION} (cluster id ${clusterId})...`);
  const { pid, exitReason: exited } = await spawnBroker(java, classpath, commonJvm, serverProps, dir);
  let exitReason: string | undefined;
  const reason = () => (exitReason ??= exited());
  await writeFile(pidFile(), `${pid}\n`);

  const cluster: ClusterInfo = {
    version: KAFKA_VERSION,
    pid,
    clusterId,
    dataDir: dir,
    listeners: {
      plaintext: `${HOST}:${PORTS.plaintext}`,
      sasl: `${HOST}:${PORTS.sasl}`,
      ssl: `${HOST}:${PORTS.ssl}`,
      mtls: `${HOST}:${PORTS.mtls}`,
      oauth: `${HOST}:${PORTS.oauth}`,
      unreachableAdvertised: `${HOST}:${PORTS.badAdvertised}`,
    },
    users,
    tls: {
      ca: tls.ca,
      clientCert: tls.clientCert,
      clientKey: tls.clientKey,
      otherCa: tls.otherCa,
    },
    toolsClasspath: classpath,
    javaBin: java,
    ...(kerberos ? { kerberos: { ...kerberos, listeners: { gssapi: `localhost:${PORTS.gssapi}`, gssapiSsl: `localhost:${PORTS.gssapiSsl}` } } } : {}),
  };

  try {
    await waitUntilReady(cluster, reason, log);
  } catch (e) {
    if (reason() === undefined) await killAndWait(pid, log);
    await rm(pidFile(), { force: true });
    throw e;
  }
  await writeFile(clusterFile(), `${JSON.stringify(cluster, null, 2)}\n`);
  return cluster;
}

/** Starts the broker process (detached, logging to kafka.log) on an already formatted data folder. */
async function spawnBroker(java: string, classpath: string, jvm: string[], serverProps: string, dir: string): Promise<{ pid: number; exitReason: () => string | undefined }> {
  const out = openSync(logFile(), "a");
  let child;
  try {
    child = spawn(java, [...jvm, "-cp", classpath, BROKER_MAIN_CLASS, serverProps], {
      cwd: dir,
      detached: true,
      stdio: ["ignore", out, out],
    });
  } finally {
    closeSync(out);
  }
  let exitReason: string | undefined;
  child.once("exit", (code, signal) => {
    exitReason = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.once("error", (e) => {
    exitReason = `spawn error: ${e.message}`;
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) {
    await sleep(50);
    throw new Error(`Could not start ${java}: ${exitReason ?? "unknown error"}`);
  }
  return { pid, exitReason: () => exitReason };
}

/**
 * Stops the running broker and starts it again on the same data (same cluster id, users, topics,
 * certificates): what a rolling restart or a crash looks like to a client.
 */
export async function restartKafka(opts: EnsureKafkaOptions & { downMs?: number } = {}): Promise<ClusterInfo> {
  const log = opts.log ?? (() => undefined);
  return withLock(log, async () => {
    const cluster = await readCluster();
    await killAndWait(cluster.pid, log);
    if (opts.downMs) await sleep(opts.downMs);
    const dir = dataDir();
    const jvm = [...jvmArgs(path.join(dir, "log4j2.properties")), ...(cluster.kerberos ? [`-Djava.security.krb5.conf=${cluster.kerberos.krb5Conf}`] : [])];
    const { pid, exitReason } = await spawnBroker(cluster.javaBin, cluster.toolsClasspath, jvm, path.join(dir, "server.properties"), dir);
    await writeFile(pidFile(), `${pid}\n`);
    const next: ClusterInfo = { ...cluster, pid };
    await waitUntilReady(next, exitReason, log);
    await writeFile(clusterFile(), `${JSON.stringify(next, null, 2)}\n`);
    log(`Kafka restarted (pid ${pid})`);
    return next;
  });
}

/**
 * Reuse the running broker described by `.dev-kafka/cluster.json`, or start a
 * fresh one (wiping `.dev-kafka/`) and wait until every listener answers.
 */
export async function ensureKafka(
  opts: EnsureKafkaOptions = {},
): Promise<{ cluster: ClusterInfo; startedHere: boolean }> {
  const log = opts.log ?? (() => undefined);
  return withLock(log, async () => {
    const t0 = Date.now();
    const live = await liveCluster();
    if (live) {
      log(`reusing running Kafka ${live.version} (pid ${live.pid})`);
      return { cluster: live, startedHere: false };
    }
    const cluster = await startFresh(log);
    log(
      `Kafka ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${cluster.pid})`,
    );
    return { cluster, startedHere: true };
  });
}

/** SIGTERM the broker in cluster.json, wait for it to exit (SIGKILL after ~20 s), remove cluster.json. */
export async function stopKafka(opts: EnsureKafkaOptions = {}): Promise<void> {
  const log = opts.log ?? (() => undefined);
  if (!(await exists(dataDir()))) return;
  await withLock(log, async () => {
    const stopped = await stopUnlocked(log);
    log(stopped ? "Kafka stopped" : "Kafka was not running");
  });
}
