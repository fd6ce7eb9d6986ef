{{/* Chart name. */}}
{{- define "aiserver.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name, at most 63 characters (some suffixes are added to it). */}}
{{- define "aiserver.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "aiserver.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "aiserver.labels" -}}
helm.sh/chart: {{ include "aiserver.chart" . }}
{{ include "aiserver.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "aiserver.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aiserver.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Image of the app (web, worker, migrate). */}}
{{- define "aiserver.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* Image of the Chroma server: the app image unless chroma.image is set. */}}
{{- define "aiserver.chromaImage" -}}
{{- $repo := .Values.chroma.image.repository | default .Values.image.repository }}
{{- $tag := .Values.chroma.image.tag | default (.Values.image.tag | default .Chart.AppVersion) }}
{{- printf "%s:%s" $repo $tag }}
{{- end }}

{{- define "aiserver.webServiceName" -}}
{{- printf "%s-web" (include "aiserver.fullname" .) }}
{{- end }}

{{- define "aiserver.chromaServiceName" -}}
{{- printf "%s-chroma" (include "aiserver.fullname" .) }}
{{- end }}

{{- define "aiserver.vllmName" -}}
{{- printf "%s-vllm" (include "aiserver.fullname" .) }}
{{- end }}

{{/* Name of the Secret the pods read: the user's existingSecret or the chart's own. */}}
{{- define "aiserver.secretName" -}}
{{- .Values.existingSecret | default (include "aiserver.fullname" .) }}
{{- end }}

{{/* ALLOWED_HOSTS: localhost (probes), the web Service's names, allowedHosts, config's. */}}
{{- define "aiserver.allowedHosts" -}}
{{- $svc := include "aiserver.webServiceName" . }}
{{- $ns := .Release.Namespace }}
{{- $hosts := list "localhost" $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) }}
{{- range .Values.allowedHosts }}
{{- $hosts = append $hosts . }}
{{- end }}
{{- if .Values.ingress.enabled }}
{{- range .Values.ingress.hosts }}
{{- $hosts = append $hosts .host }}
{{- end }}
{{- end }}
{{- with .Values.config.ALLOWED_HOSTS }}
{{- range splitList "," . }}
{{- if trim . }}
{{- $hosts = append $hosts (trim .) }}
{{- end }}
{{- end }}
{{- end }}
{{- $hosts | uniq | join "," }}
{{- end }}

{{/* The ConfigMap's data: config plus the keys the chart computes. */}}
{{- define "aiserver.configData" -}}
{{- $data := dict }}
{{- range $key, $value := .Values.config }}
{{- $_ := set $data $key (toString $value) }}
{{- end }}
{{- $_ := set $data "ALLOWED_HOSTS" (include "aiserver.allowedHosts" .) }}
{{- if .Values.chroma.enabled }}
{{- $_ := set $data "CHROMA_HOST" (include "aiserver.chromaServiceName" .) }}
{{- $_ := set $data "CHROMA_PORT" (toString .Values.chroma.port) }}
{{- end }}
{{- /* Behind the ingress with TLS the admin's CSRF check needs the public origins (unless set). */}}
{{- if and .Values.ingress.enabled .Values.ingress.tls (not .Values.config.CSRF_TRUSTED_ORIGINS) }}
{{- $origins := list }}
{{- range .Values.ingress.tls }}
{{- range .hosts }}
{{- $origins = append $origins (printf "https://%s" .) }}
{{- end }}
{{- end }}
{{- if $origins }}
{{- $_ := set $data "CSRF_TRUSTED_ORIGINS" ($origins | uniq | join ",") }}
{{- end }}
{{- end }}
{{- /* vllm.enabled: the chat model is the in-cluster vLLM server, through the `openai` provider. */}}
{{- if .Values.vllm.enabled }}
{{- if eq (toString .Values.config.EMBEDDING_PROVIDER) "openai" }}
{{- fail "vllm.enabled sets OPENAI_BASE_URL to the vLLM server, which EMBEDDING_PROVIDER=openai would use too: use local or gemini embeddings with vllm.enabled" }}
{{- end }}
{{- $_ := set $data "LLM_PROVIDER" "openai" }}
{{- $_ := set $data "OPENAI_BASE_URL" (printf "http://%s:%v/v1" (include "aiserver.vllmName" .) .Values.vllm.port) }}
{{- $_ := set $data "LLM_MODEL" .Values.vllm.servedModelName }}
{{- $_ := set $data "LLM_CONTEXT_TOKENS" (toString .Values.vllm.maxModelLen) }}
{{- end }}
{{- range $key := keys $data | sortAlpha }}
{{ $key }}: {{ get $data $key | quote }}
{{- end }}
{{- end }}

{{/* The Secret's data (base64), with the checks a production install needs. */}}
{{- define "aiserver.secretData" -}}
{{- $production := eq (toString (.Values.config.AISERVER_ENV | default "production")) "production" }}
{{- $data := dict }}
{{- $_ := set $data "DATABASE_URL" (required "database.url is required (or set existingSecret)" .Values.database.url) }}
{{- $_ := set $data "REDIS_URL" (required "redis.url is required (or set existingSecret)" .Values.redis.url) }}
{{- if $production }}
{{- if lt (len .Values.secrets.secretKey) 32 }}
{{- fail "secrets.secretKey must have 32+ characters when AISERVER_ENV=production (or set existingSecret)" }}
{{- end }}
{{- if lt (len .Values.secrets.aiServiceToken) 24 }}
{{- fail "secrets.aiServiceToken must have 24+ characters when AISERVER_ENV=production (or set existingSecret)" }}
{{- end }}
{{- end }}
{{- with .Values.secrets.secretKey }}{{ $_ := set $data "SECRET_KEY" . }}{{ end }}
{{- with .Values.secrets.aiServiceToken }}{{ $_ := set $data "AI_SERVICE_TOKEN" . }}{{ end }}
{{- with .Values.secrets.openaiApiKey }}{{ $_ := set $data "OPENAI_API_KEY" . }}{{ end }}
{{- with .Values.secrets.googleApiKey }}{{ $_ := set $data "GOOGLE_API_KEY" . }}{{ end }}
{{- with .Values.mongo.url }}{{ $_ := set $data "MONGO_URL" . }}{{ end }}
{{- range $key, $value := .Values.secrets.extra }}
{{- $_ := set $data $key (toString $value) }}
{{- end }}
{{- range $key := keys $data | sortAlpha }}
{{ $key }}: {{ get $data $key | b64enc | quote }}
{{- end }}
{{- end }}

{{/* envFrom for every Django process. */}}
{{- define "aiserver.envFrom" -}}
- configMapRef:
    name: {{ include "aiserver.fullname" . }}
- secretRef:
    name: {{ include "aiserver.secretName" . }}
{{- end }}

{{/* Annotations that roll the pods when the ConfigMap or the chart's Secret changes. */}}
{{- define "aiserver.checksums" -}}
checksum/config: {{ include "aiserver.configData" . | sha256sum }}
{{- if not .Values.existingSecret }}
checksum/secret: {{ include "aiserver.secretData" . | sha256sum }}
{{- end }}
{{- end }}

{{/* /tmp as an emptyDir: OCR scratch files, and the only path the app writes. */}}
{{- define "aiserver.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end }}

{{- define "aiserver.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}
