/* bz_h5_forge FILE DATASET ROWS [COLS]: add to an existing HDF5 file a
 * chunked double dataset DATASET declaring ROWS (x COLS) values whose
 * chunks are never written: it reads as fill values and takes no space,
 * like a corrupt or forged file's. For the CLI tests of `buzzsim export`
 * (tests/cli/test_bad_input2.sh). Exit status 0, or 1 with a message. */
#include <stdio.h>
#include <stdlib.h>

#include <hdf5.h>

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: bz_h5_forge FILE DATASET ROWS [COLS]\n");
        return 1;
    }
    int rank = argc == 5 ? 2 : 1;
    hsize_t dims[2] = {strtoull(argv[3], NULL, 10), argc == 5 ? strtoull(argv[4], NULL, 10) : 1};
    hsize_t chunk[2] = {dims[0] < 1024 ? dims[0] : 1024, dims[1] < 1024 ? dims[1] : 1024};
    int rc = 1;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(argv[1], H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (f >= 0 && space >= 0 && dcpl >= 0 && H5Pset_chunk(dcpl, rank, chunk) >= 0) {
        hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
        H5Pset_create_intermediate_group(lcpl, 1);
        hid_t ds = H5Dcreate2(f, argv[2], H5T_IEEE_F64LE, space, lcpl, dcpl, H5P_DEFAULT);
        if (ds >= 0) {
            rc = 0;
            H5Dclose(ds);
        }
        H5Pclose(lcpl);
    }
    if (dcpl >= 0) H5Pclose(dcpl);
    if (space >= 0) H5Sclose(space);
    if (f >= 0) H5Fclose(f);
    if (rc) fprintf(stderr, "bz_h5_forge: cannot add %s to %s\n", argv[2], argv[1]);
    return rc;
}
