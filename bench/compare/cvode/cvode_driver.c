/* SUNDIALS CVODE (BDF, Newton) on the stiff benchmark problems of bench/compare, printing one JSON row per
 * (problem, rtol): status, final state (or its summary for the Brusselator), steps, f evaluations, Jacobian
 * evaluations, linear-solver setups (LU factorisations), error-test and Newton failures, and the best wall time
 * of `repeats` solves.
 *
 *   robertson   a' = -0.04a + 1e4 bc, b' = 0.04a - 1e4 bc - 3e7 b^2, c' = 3e7 b^2; (1, 0, 0) on [0, 1e5];
 *               atol = 1e-6 rtol; dense direct solver, analytic Jacobian.
 *   vanderpol   y1' = y2, y2' = mu (1 - y1^2) y2 - y1, mu = 1000; (2, 0) on [0, 2000]; atol = rtol; dense, analytic J.
 *   brusselator the 2-D Brusselator of src/Drift/Models/Physics/Brusselator2D.cs at N = 32 (2048 unknowns, alpha = 10,
 *               periodic, forcing 5 in the disc of radius 0.1 at (0.3, 0.6) from t = 1.1) on [0, 11.5]; atol = rtol;
 *               KLU sparse direct solver with the analytic Jacobian in CSR form (6 entries a row).
 *
 * Build: make -C bench/compare/cvode      Run: bench/compare/cvode/cvode_driver [repeats] [problem ...] [rtols=1e-4,1e-6,...]
 * Timings only mean something on an idle machine.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunmatrix/sunmatrix_sparse.h>

#define MU 1000.0
#define BN 32
#define ALPHA 10.0

static int rob_f(realtype t, N_Vector y, N_Vector ydot, void *data)
{
  realtype *x = N_VGetArrayPointer(y), *dx = N_VGetArrayPointer(ydot);
  dx[0] = -0.04 * x[0] + 1e4 * x[1] * x[2];
  dx[1] = 0.04 * x[0] - 1e4 * x[1] * x[2] - 3e7 * x[1] * x[1];
  dx[2] = 3e7 * x[1] * x[1];
  return 0;
}

static int rob_j(realtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *data, N_Vector t1, N_Vector t2, N_Vector t3)
{
  realtype *x = N_VGetArrayPointer(y);
  SM_ELEMENT_D(J, 0, 0) = -0.04; SM_ELEMENT_D(J, 0, 1) = 1e4 * x[2]; SM_ELEMENT_D(J, 0, 2) = 1e4 * x[1];
  SM_ELEMENT_D(J, 1, 0) = 0.04; SM_ELEMENT_D(J, 1, 1) = -1e4 * x[2] - 6e7 * x[1]; SM_ELEMENT_D(J, 1, 2) = -1e4 * x[1];
  SM_ELEMENT_D(J, 2, 0) = 0.0; SM_ELEMENT_D(J, 2, 1) = 6e7 * x[1]; SM_ELEMENT_D(J, 2, 2) = 0.0;
  return 0;
}

static int vdp_f(realtype t, N_Vector y, N_Vector ydot, void *data)
{
  realtype *x = N_VGetArrayPointer(y), *dx = N_VGetArrayPointer(ydot);
  dx[0] = x[1];
  dx[1] = MU * (1 - x[0] * x[0]) * x[1] - x[0];
  return 0;
}

static int vdp_j(realtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *data, N_Vector t1, N_Vector t2, N_Vector t3)
{
  realtype *x = N_VGetArrayPointer(y);
  SM_ELEMENT_D(J, 0, 0) = 0.0; SM_ELEMENT_D(J, 0, 1) = 1.0;
  SM_ELEMENT_D(J, 1, 0) = -2 * MU * x[0] * x[1] - 1; SM_ELEMENT_D(J, 1, 1) = MU * (1 - x[0] * x[0]);
  return 0;
}

static int wrap(int i) { return i < 0 ? BN - 1 : i >= BN ? 0 : i; }

static int bru_f(realtype t, N_Vector y, N_Vector ydot, void *data)
{
  realtype *x = N_VGetArrayPointer(y), *dx = N_VGetArrayPointer(ydot);
  const int sq = BN * BN;
  const double h = 1.0 / (BN - 1), c = ALPHA / (h * h);
  for (int j = 0; j < BN; j++)
    for (int i = 0; i < BN; i++) {
      int k = i + BN * j;
      double u = x[k], v = x[sq + k];
      double lu = x[wrap(i - 1) + BN * j] + x[wrap(i + 1) + BN * j] + x[i + BN * wrap(j - 1)] + x[i + BN * wrap(j + 1)] - 4 * u;
      double lv = x[sq + wrap(i - 1) + BN * j] + x[sq + wrap(i + 1) + BN * j] + x[sq + i + BN * wrap(j - 1)] + x[sq + i + BN * wrap(j + 1)] - 4 * v;
      double xi = i * h, yj = j * h;
      double forcing = (t >= 1.1 && (xi - 0.3) * (xi - 0.3) + (yj - 0.6) * (yj - 0.6) <= 0.01) ? 5.0 : 0.0;
      double uuv = u * u * v;
      dx[k] = 1 + uuv - 4.4 * u + c * lu + forcing;
      dx[sq + k] = 3.4 * u - uuv + c * lv;
    }
  return 0;
}

/* One CSR row: columns and values, sorted by column. */
static void put_row(sunindextype *ptr, sunindextype *idx, realtype *val, int row, int *nnz, int *cols, double *vals, int count)
{
  for (int a = 1; a < count; a++)
    for (int b = a; b > 0 && cols[b - 1] > cols[b]; b--) {
      int tc = cols[b]; cols[b] = cols[b - 1]; cols[b - 1] = tc;
      double tv = vals[b]; vals[b] = vals[b - 1]; vals[b - 1] = tv;
    }
  ptr[row] = *nnz;
  for (int a = 0; a < count; a++) { idx[*nnz] = cols[a]; val[*nnz] = vals[a]; (*nnz)++; }
}

static int bru_j(realtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *data, N_Vector t1, N_Vector t2, N_Vector t3)
{
  realtype *x = N_VGetArrayPointer(y);
  sunindextype *ptr = SUNSparseMatrix_IndexPointers(J), *idx = SUNSparseMatrix_IndexValues(J);
  realtype *val = SUNSparseMatrix_Data(J);
  const int sq = BN * BN;
  const double h = 1.0 / (BN - 1), c = ALPHA / (h * h);
  int nnz = 0, cols[6];
  double vals[6];
  for (int s = 0; s < 2; s++)
    for (int j = 0; j < BN; j++)
      for (int i = 0; i < BN; i++) {
        int k = i + BN * j, off = s * sq;
        double u = x[k], v = x[sq + k];
        cols[0] = off + wrap(i - 1) + BN * j; cols[1] = off + wrap(i + 1) + BN * j;
        cols[2] = off + i + BN * wrap(j - 1); cols[3] = off + i + BN * wrap(j + 1);
        vals[0] = vals[1] = vals[2] = vals[3] = c;
        if (s == 0) { cols[4] = k; vals[4] = 2 * u * v - 4.4 - 4 * c; cols[5] = sq + k; vals[5] = u * u; }
        else { cols[4] = k; vals[4] = 3.4 - 2 * u * v; cols[5] = sq + k; vals[5] = -u * u - 4 * c; }
        put_row(ptr, idx, val, off + k, &nnz, cols, vals, 6);
      }
  ptr[2 * sq] = nnz;
  return 0;
}

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int solve(const char *name, double rtol, int repeats, SUNContext ctx)
{
  int n, sparse = 0;
  double t1, atol;
  CVRhsFn f;
  CVLsJacFn jac;
  if (!strcmp(name, "robertson")) { n = 3; t1 = 1e5; atol = 1e-6 * rtol; f = rob_f; jac = rob_j; }
  else if (!strcmp(name, "vanderpol")) { n = 2; t1 = 2000; atol = rtol; f = vdp_f; jac = vdp_j; }
  else if (!strcmp(name, "brusselator")) { n = 2 * BN * BN; t1 = 11.5; atol = rtol; f = bru_f; jac = bru_j; sparse = 1; }
  else { fprintf(stderr, "unknown problem %s\n", name); return 1; }

  double best = INFINITY;
  long nst = 0, nfe = 0, nje = 0, nsetups = 0, netf = 0, nncf = 0, nfeLS = 0;
  int flag = 0;
  N_Vector y = N_VNew_Serial(n, ctx);
  for (int r = 0; r < repeats; r++) {
    realtype *x = N_VGetArrayPointer(y);
    if (n == 3) { x[0] = 1; x[1] = 0; x[2] = 0; }
    else if (n == 2) { x[0] = 2; x[1] = 0; }
    else {
      const int sq = BN * BN;
      for (int j = 0; j < BN; j++)
        for (int i = 0; i < BN; i++) {
          double xi = (double)i / (BN - 1), yj = (double)j / (BN - 1);
          x[i + BN * j] = 22 * pow(yj * (1 - yj), 1.5);
          x[sq + i + BN * j] = 27 * pow(xi * (1 - xi), 1.5);
        }
    }
    double start = now();
    void *mem = CVodeCreate(CV_BDF, ctx);
    CVodeInit(mem, f, 0.0, y);
    CVodeSStolerances(mem, rtol, atol);
    CVodeSetMaxNumSteps(mem, 10000000);
    SUNMatrix A = sparse ? SUNSparseMatrix(n, n, 6 * n, CSR_MAT, ctx) : SUNDenseMatrix(n, n, ctx);
    SUNLinearSolver LS = sparse ? SUNLinSol_KLU(y, A, ctx) : SUNLinSol_Dense(y, A, ctx);
    CVodeSetLinearSolver(mem, LS, A);
    CVodeSetJacFn(mem, jac);
    realtype t = 0;
    flag = CVode(mem, t1, y, &t, CV_NORMAL);
    double elapsed = now() - start;
    if (elapsed < best) best = elapsed;
    CVodeGetNumSteps(mem, &nst);
    CVodeGetNumRhsEvals(mem, &nfe);
    CVodeGetNumJacEvals(mem, &nje);
    CVodeGetNumLinSolvSetups(mem, &nsetups);
    CVodeGetNumErrTestFails(mem, &netf);
    CVodeGetNumNonlinSolvConvFails(mem, &nncf);
    CVodeGetNumLinRhsEvals(mem, &nfeLS);
    SUNLinSolFree(LS);
    SUNMatDestroy(A);
    CVodeFree(&mem);
  }
  realtype *x = N_VGetArrayPointer(y);
  printf("{\"problem\": \"%s\", \"impl\": \"CVODE %s BDF%s\", \"rtol\": %.17g, \"status\": \"%s\", \"seconds\": %.6g, "
         "\"steps\": %ld, \"nfev\": %ld, \"njev\": %ld, \"nlu\": %ld, \"error_test_failures\": %ld, \"newton_failures\": %ld, \"final\": [",
         name, SUNDIALS_VERSION, sparse ? " + KLU" : " + dense", rtol, flag >= 0 ? "Success" : "Failed", best, nst, nfe + nfeLS, nje, nsetups, netf, nncf);
  for (int i = 0; i < n; i++) printf(i ? ", %.17g" : "%.17g", x[i]);
  printf("]}\n");
  fflush(stdout);
  N_VDestroy(y);
  return flag < 0;
}

int main(int argc, char **argv)
{
  int repeats = argc > 1 ? atoi(argv[1]) : 3;
  if (repeats < 1) repeats = 1;
  const char *all[] = {"robertson", "vanderpol", "brusselator"};
  double rtols[16] = {1e-4, 1e-6, 1e-8};
  int nrtols = 3;
  const char *problems[8];
  int nproblems = 0;
  /* Arguments after the repeat count: problem names, and optionally rtols=A,B,... (default 1e-4,1e-6,1e-8). */
  for (int a = 2; a < argc; a++) {
    if (!strncmp(argv[a], "rtols=", 6)) {
      nrtols = 0;
      for (char *p = argv[a] + 6; *p && nrtols < 16;) {
        char *end;
        rtols[nrtols++] = strtod(p, &end);
        p = *end == ',' ? end + 1 : end;
        if (end == p && *p) { fprintf(stderr, "bad rtols %s\n", argv[a]); return 2; }
      }
    } else if (nproblems < 8) problems[nproblems++] = argv[a];
  }
  if (nproblems == 0) for (int p = 0; p < 3; p++) problems[nproblems++] = all[p];
  SUNContext ctx;
  if (SUNContext_Create(NULL, &ctx)) return 2;
  int failed = 0;
  for (int p = 0; p < nproblems; p++)
    for (int r = 0; r < nrtols; r++) failed |= solve(problems[p], rtols[r], repeats, ctx);
  SUNContext_Free(&ctx);
  return failed;
}
