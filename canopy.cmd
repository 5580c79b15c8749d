@echo off
rem Canopy launcher for Windows. No arguments: opens the desktop app; with a subcommand: the CLI with the tools (decision 0170).
setlocal
set "HERE=%~dp0"
if "%JAVA_HOME%"=="" (
  echo canopy: set JAVA_HOME to a JDK 25 or newer. 1>&2
  exit /b 1
)
set "JAR=%HERE%tools\target\canopy-tools.jar"
if not exist "%JAR%" (
  echo canopy: building ^(first run^)... 1>&2
  rem JDK 25 warns about Maven's own use of sun.misc.Unsafe (Guice); that warning is not ours to show
  set "MAVEN_OPTS=%MAVEN_OPTS% --sun-misc-unsafe-memory-access=allow"
  pushd "%HERE%" && call mvnw.cmd -q -DskipTests -pl tools -am package 1>&2 & popd
)
"%JAVA_HOME%\bin\java" --enable-native-access=ALL-UNNAMED %CANOPY_JAVA_OPTS% -jar "%JAR%" %*
